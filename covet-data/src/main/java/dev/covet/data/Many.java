package dev.covet.data;

import java.util.List;

/**
 * The rows of a {@link OneToMany} or {@link ManyToMany} relation, present only when the query asked for
 * them with {@link Query#prefetch}. Not loaded otherwise, and {@link #get()} then throws rather than
 * running a query per row.
 */
public final class Many<T> {
    private static final Many<?> NOT_LOADED = new Many<>(null);
    private final List<T> items;

    private Many(List<T> items) {
        this.items = items;
    }

    /** The value to give when constructing a record yourself (e.g. before inserting it). */
    @SuppressWarnings("unchecked")
    public static <T> Many<T> notLoaded() {
        return (Many<T>) NOT_LOADED;
    }

    /** A loaded relation with these rows. */
    public static <T> Many<T> of(List<T> items) {
        return new Many<>(List.copyOf(items));
    }

    public boolean isLoaded() {
        return items != null;
    }

    /**
     * The related rows.
     *
     * @throws IllegalStateException if the query did not prefetch this relation
     */
    public List<T> get() {
        if (items == null) {
            throw new IllegalStateException("Relation was not prefetched; add .prefetch(...) to the query "
                    + "(Covet never loads relations lazily)");
        }
        return items;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Many<?> other && java.util.Objects.equals(items, other.items);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(items);
    }

    @Override
    public String toString() {
        return items == null ? "Many(not loaded)" : "Many" + items;
    }
}
