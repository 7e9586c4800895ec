package dev.covet.data;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A record component named by its accessor, e.g. {@code Book::title}: the compiler checks the name and
 * the value type, and a rename in the IDE renames queries too.
 *
 * <p>Only accessor method references work ({@code Book::title}); a lambda ({@code b -> b.title()}) has
 * no name to read and is refused when the query is built. The name is read once per call site (the
 * method reference's class) and cached.
 */
@FunctionalInterface
public interface Property<T, V> extends Function<T, V>, Serializable {

    /**
     * The component name this property refers to.
     *
     * @throws IllegalArgumentException if this is a lambda rather than an accessor reference
     */
    default String componentName() {
        return PropertyNames.nameOf(this);
    }
}

/** Reads the accessor name out of a serializable method reference. */
final class PropertyNames {
    // Keyed by the method reference's class: one entry per call site in the code, not per call.
    private static final Map<Class<?>, String> CACHE = new ConcurrentHashMap<>();

    private PropertyNames() { }

    static String nameOf(Property<?, ?> property) {
        return CACHE.computeIfAbsent(property.getClass(), type -> {
            try {
                Method writeReplace = type.getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                SerializedLambda lambda = (SerializedLambda) writeReplace.invoke(property);
                String name = lambda.getImplMethodName();
                if (name.startsWith("lambda$")) {
                    throw new IllegalArgumentException("Use a method reference such as Book::title, not a lambda");
                }
                return name;
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("Not a method reference to a record accessor: " + type.getName(), e);
            }
        });
    }
}
