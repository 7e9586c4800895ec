package dev.covet.data.internal;

import dev.covet.data.Column;
import dev.covet.data.ManyToMany;
import dev.covet.data.ManyToOne;
import dev.covet.data.OneToMany;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Covet needs to know about a record, computed once per type: its components, the column each maps
 * to, how to read each and how to construct the record. Shared by plain-SQL mapping and the ORM.
 */
public final class RecordShape<T> {
    private static final ClassValue<RecordShape<?>> CACHE = new ClassValue<>() {
        @Override
        protected RecordShape<?> computeValue(Class<?> type) {
            return new RecordShape<>(type);
        }
    };

    /** How a component is stored. */
    public enum Kind { VALUE, REF, MANY }

    /** One record component. */
    public record Part(String name, String column, Class<?> type, Class<?> elementType, Kind kind,
                       RecordComponent component, MethodHandle accessor) {
        public String matchKey() {
            return Names.matchKey(column);
        }
    }

    private final Class<T> type;
    private final List<Part> parts;
    /** The canonical constructor, (components...)T. */
    private final MethodHandle canonical;
    /** The same, (Object[])Object, for {@link #construct}. */
    private final MethodHandle constructor;
    /** The mapper of the last result mapped to this type: the same statement usually comes back ({@link RowMapper#forLabels}). */
    volatile RowMapper<T> lastMapper;
    /** The mappers of the column layouts seen so far (bounded by {@link RowMapper}): building one costs a method handle tree. */
    final Map<String, RowMapper<T>> mappers = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public static <T> RecordShape<T> of(Class<T> type) {
        return (RecordShape<T>) CACHE.get(type);
    }

    private RecordShape(Class<T> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.type = type;
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            RecordComponent[] components = type.getRecordComponents();
            List<Part> list = new ArrayList<>();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                types[i] = c.getType();
                Kind kind = Kind.VALUE;
                Class<?> element = c.getType();
                if (c.getType() == dev.covet.data.Ref.class || c.isAnnotationPresent(ManyToOne.class)) {
                    kind = Kind.REF;
                    element = typeArgument(c);
                } else if (c.getType() == dev.covet.data.Many.class || c.isAnnotationPresent(OneToMany.class)
                        || c.isAnnotationPresent(ManyToMany.class)) {
                    kind = Kind.MANY;
                    element = typeArgument(c);
                }
                Column col = c.getAnnotation(Column.class);
                String column = col != null && !col.value().isEmpty() ? col.value()
                        : kind == Kind.REF ? Names.snakeCase(c.getName()) + "_id" : Names.snakeCase(c.getName());
                list.add(new Part(c.getName(), column, c.getType(), element, kind, c,
                        lookup.unreflect(c.getAccessor())));
            }
            this.parts = List.copyOf(list);
            // adapted once to (Object[])Object, so that construct() is an invokeExact: no per-row type check
            this.canonical = lookup.findConstructor(type, java.lang.invoke.MethodType.methodType(void.class, types));
            this.constructor = canonical
                    .asSpreader(Object[].class, types.length)
                    .asType(java.lang.invoke.MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot access record " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static Class<?> typeArgument(RecordComponent c) {
        Type generic = c.getGenericType();
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> arg) {
            return arg;
        }
        throw new IllegalArgumentException("Relation component " + c.getName() + " of "
                + c.getDeclaringRecord().getSimpleName() + " must be Ref<Type> or Many<Type>");
    }

    public Class<T> type() {
        return type;
    }

    public List<Part> parts() {
        return parts;
    }

    public Part part(String name) {
        for (Part p : parts) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException(type.getSimpleName() + " has no component '" + name + "'");
    }

    public int indexOf(Part part) {
        return parts.indexOf(part);
    }

    /** The canonical constructor, (components...)T. */
    public MethodHandle constructor() {
        return canonical;
    }

    public Object read(Part part, T record) {
        try {
            return part.accessor().invoke(record);
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot read " + part.name() + " of " + type.getSimpleName(), e);
        }
    }

    public Object[] values(T record) {
        Object[] values = new Object[parts.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = read(parts.get(i), record);
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    public T construct(Object[] args) {
        try {
            return (T) (Object) constructor.invokeExact(args);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot construct " + type.getSimpleName(), e);
        }
    }
}
