package dev.covet.data;

import java.util.Objects;

/**
 * A {@link ManyToOne} reference: always the referenced id; the referenced record too when the query
 * asked for it with {@link Query#prefetch}. There is no lazy loading, on purpose: a reference that was
 * not prefetched throws instead of silently running one query per row (the N+1 problem).
 */
public final class Ref<T> {
    private final Object id;
    private final T value;

    private Ref(Object id, T value) {
        this.id = Objects.requireNonNull(id, "id");
        this.value = value;
    }

    /** A reference to the row with this id (what you pass when inserting); integral ids are held as {@code Long}. */
    public static <T> Ref<T> to(Object id) {
        return new Ref<>(dev.covet.data.internal.RowMapper.normalizeId(Objects.requireNonNull(id, "id")), null);
    }

    static <T> Ref<T> loaded(Object id, T value) {
        return new Ref<>(dev.covet.data.internal.RowMapper.normalizeId(id), Objects.requireNonNull(value, "value"));
    }

    /** The referenced id, as the column holds it (e.g. a {@code Long}). */
    public Object id() {
        return id;
    }

    /** Whether {@link #get()} will answer. */
    public boolean isLoaded() {
        return value != null;
    }

    /**
     * The referenced record.
     *
     * @throws IllegalStateException if the query did not prefetch this relation
     */
    public T get() {
        if (value == null) {
            throw new IllegalStateException("Reference to id " + id + " was not prefetched; add .prefetch(...) "
                    + "to the query (Covet never loads relations lazily)");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ref<?> other && id.equals(other.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return value == null ? "Ref(" + id + ")" : "Ref(" + id + " = " + value + ")";
    }
}
