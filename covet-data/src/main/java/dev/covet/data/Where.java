package dev.covet.data;

import dev.covet.data.internal.RecordShape;
import java.util.Collection;
import java.util.List;

/**
 * Conditions for {@link Query#where}: {@code where(and(gt(Book::price, 10), like(Book::title, "J%")))}.
 * Import the methods statically. Comparing a {@code Ref} component compares the referenced id.
 */
public final class Where {
    private Where() { }

    public static <T, V> Condition<T> eq(Property<T, V> p, V value) { return compare(p, "=", value); }
    public static <T, V> Condition<T> ne(Property<T, V> p, V value) { return compare(p, "<>", value); }
    public static <T, V> Condition<T> lt(Property<T, V> p, V value) { return compare(p, "<", value); }
    public static <T, V> Condition<T> le(Property<T, V> p, V value) { return compare(p, "<=", value); }
    public static <T, V> Condition<T> gt(Property<T, V> p, V value) { return compare(p, ">", value); }
    public static <T, V> Condition<T> ge(Property<T, V> p, V value) { return compare(p, ">=", value); }

    /** SQL LIKE with {@code %} and {@code _} wildcards (case sensitivity is the database's). */
    public static <T> Condition<T> like(Property<T, String> p, String pattern) { return compare(p, "LIKE", pattern); }

    /** The value is one of {@code values} (bound as a single parameter; an empty collection matches nothing). */
    public static <T, V> Condition<T> in(Property<T, V> p, Collection<? extends V> values) {
        String name = p.componentName();
        List<Object> copy = values.stream().map(Where::plain).toList();
        return new Condition<>((model, d, sql, params) ->
                SqlText.inList(d, column(model, name, d), copy, sql, params));
    }

    public static <T> Condition<T> isNull(Property<T, ?> p) {
        String name = p.componentName();
        return new Condition<>((model, d, sql, params) -> sql.append(column(model, name, d)).append(" IS NULL"));
    }

    public static <T> Condition<T> isNotNull(Property<T, ?> p) {
        String name = p.componentName();
        return new Condition<>((model, d, sql, params) -> sql.append(column(model, name, d)).append(" IS NOT NULL"));
    }

    @SafeVarargs
    public static <T> Condition<T> and(Condition<T>... conditions) { return join(" AND ", "1 = 1", conditions); }

    @SafeVarargs
    public static <T> Condition<T> or(Condition<T>... conditions) { return join(" OR ", "1 = 0", conditions); }

    public static <T> Condition<T> not(Condition<T> condition) {
        return new Condition<>((model, d, sql, params) -> {
            sql.append("NOT (");
            condition.renderer.render(model, d, sql, params);
            sql.append(')');
        });
    }

    private static <T> Condition<T> compare(Property<T, ?> p, String op, Object value) {
        String name = p.componentName();
        if (value == null) {
            throw new IllegalArgumentException("Compare with null using isNull/isNotNull, not " + op);
        }
        Object v = plain(value);
        return new Condition<>((model, d, sql, params) -> {
            sql.append(column(model, name, d)).append(' ').append(op).append(" ?");
            params.add(v);
        });
    }

    @SafeVarargs
    private static <T> Condition<T> join(String op, String empty, Condition<T>... conditions) {
        List<Condition<T>> list = List.of(conditions);
        return new Condition<>((model, d, sql, params) -> {
            if (list.isEmpty()) {
                sql.append(empty);
                return;
            }
            sql.append('(');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sql.append(op);
                }
                list.get(i).renderer.render(model, d, sql, params);
            }
            sql.append(')');
        });
    }

    private static Object plain(Object value) {
        return value instanceof Ref<?> r ? r.id() : value;
    }

    static String column(EntityModel<?> model, String component, Dialect d) {
        RecordShape.Part part = model.shape.part(component);
        if (part.kind() == RecordShape.Kind.MANY) {
            throw new IllegalArgumentException(component + " is a relation, not a column");
        }
        return SqlText.quote(d, part.column());
    }
}
