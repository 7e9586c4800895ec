package dev.covet.data;

import dev.covet.data.internal.Names;
import dev.covet.data.internal.RecordShape;
import dev.covet.data.internal.RecordShape.Kind;
import dev.covet.data.internal.RecordShape.Part;
import java.util.List;

/** An ORM entity: a record with an {@link Id}, its table and its columns, checked once per type. */
final class EntityModel<T> {
    private static final ClassValue<EntityModel<?>> CACHE = new ClassValue<>() {
        @Override
        protected EntityModel<?> computeValue(Class<?> type) {
            return new EntityModel<>(type);
        }
    };

    final RecordShape<T> shape;
    final String table;
    final Part id;
    final boolean generatedId;
    /** Parts stored in a column (values and references), in record order. */
    final List<Part> columns;
    /** Columns written by an insert (all but a generated id). */
    final List<Part> insertColumns;

    @SuppressWarnings("unchecked")
    static <T> EntityModel<T> of(Class<T> type) {
        return (EntityModel<T>) CACHE.get(type);
    }

    private EntityModel(Class<T> type) {
        this.shape = RecordShape.of(type);
        Table t = type.getAnnotation(Table.class);
        this.table = Names.checkIdentifier(t != null && !t.value().isEmpty() ? t.value()
                : Names.snakeCase(type.getSimpleName()), "Table name of " + type.getSimpleName());
        List<Part> ids = shape.parts().stream().filter(p -> p.component().isAnnotationPresent(Id.class)).toList();
        if (ids.size() != 1) {
            throw new IllegalArgumentException(type.getSimpleName() + " needs exactly one @Id component, has " + ids.size());
        }
        this.id = ids.getFirst();
        this.generatedId = id.component().isAnnotationPresent(GeneratedValue.class);
        this.columns = shape.parts().stream().filter(p -> p.kind() != Kind.MANY).toList();
        for (Part p : columns) {
            Names.checkIdentifier(p.column(), "Column name of " + type.getSimpleName() + "." + p.name());
        }
        this.insertColumns = columns.stream().filter(p -> !(generatedId && p == id)).toList();
    }

    Class<T> type() {
        return shape.type();
    }

    /** Whether {@code value} is an id the database has not assigned yet (null or 0). */
    static boolean isUnset(Object value) {
        return value == null || (value instanceof Number n && n.longValue() == 0);
    }
}
