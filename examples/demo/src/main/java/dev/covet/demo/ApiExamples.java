package dev.covet.demo;

import dev.covet.Covet;
import java.util.ArrayList;
import java.util.List;

/**
 * The realistic API endpoints the benchmark measures besides TechEmpower's: a large JSON list and a
 * validated JSON body. docs/benchmarking.md defines both; the peers in bench-peers serve the same.
 *
 * <ul>
 * <li>{@code GET /json-list}: 100 items, about 50 KB, built once at start-up and serialized on every
 *     request (so the writer, not the building of the data, is measured).
 * <li>{@code POST /validated}: a {@link Examples.NewUser} checked with Bean Validation; answers it back
 *     (200), or 422 problem+json listing every invalid field.
 * </ul>
 */
final class ApiExamples {
    /** Number of items of {@code /json-list}. */
    static final int LIST_SIZE = 100;
    /** The same text in every item; 318 characters, so 100 items weigh about 48 KB. */
    static final String DESCRIPTION = "An item of the large JSON benchmark. One hundred of them make about fifty kilobytes, the size"
            + " of a page of search results or of a product listing that an API typically returns. The list is built once at"
            + " start-up and serialized again on every request, so what is measured is the JSON writer, the buffers and the"
            + " socket.";

    private ApiExamples() { }

    /** One item of the large list; field order is the serialized order. */
    record Item(int id, String sku, String name, String email, boolean active, int quantity, int priceCents,
                List<String> tags, String description) { }

    /** Item {@code i} (1-based) of the list: every field follows from {@code i}, so a client can check the body. */
    static Item item(int i) {
        return new Item(i, String.format("SKU-%05d", i), "Item " + i, "user" + i + "@example.com", i % 3 != 0, (i * 7) % 100,
                i * 199, List.of("t" + i % 5, "t" + i % 7, "t" + i % 11), DESCRIPTION);
    }

    static void register(Covet app) {
        List<Item> items = new ArrayList<>(LIST_SIZE);
        for (int i = 1; i <= LIST_SIZE; i++) {
            items.add(item(i));
        }
        List<Item> list = List.copyOf(items);
        app.get("/json-list", ctx -> ctx.json(list));
        app.post("/validated", ctx -> ctx.json(ctx.bodyAs(Examples.NewUser.class)));
    }
}
