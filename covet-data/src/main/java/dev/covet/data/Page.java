package dev.covet.data;

import java.util.List;

/**
 * One page of a query's rows.
 *
 * @param items      the rows of this page
 * @param page       the page number, from 1
 * @param size       the page size asked for
 * @param totalItems the number of rows on all pages
 */
public record Page<T>(List<T> items, int page, int size, long totalItems) {
    public Page {
        items = List.copyOf(items);
    }

    /** The number of pages (at least 1). */
    public long totalPages() {
        return Math.max(1, (totalItems + size - 1) / size);
    }

    public boolean hasNext() {
        return page < totalPages();
    }
}
