package dev.covet.peers.vertx;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The benchmark's API scenarios (docs/benchmarking.md) as a Vert.x application would write them with
 * its own JSON types: the 100-item list of {@code GET /json-list}, and {@code POST /validated} checked
 * by hand with the demo's rules (name not blank and at most 50 characters, email not blank and shaped
 * like an address, age at least 0).
 */
final class ApiPayloads {
    static final String DESCRIPTION = "An item of the large JSON benchmark. One hundred of them make about fifty kilobytes, the size"
            + " of a page of search results or of a product listing that an API typically returns. The list is built once at"
            + " start-up and serialized again on every request, so what is measured is the JSON writer, the buffers and the"
            + " socket.";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final CharSequence PROBLEM_JSON = HttpHeaders.createOptimized("application/problem+json");

    /** The list, built once: every request encodes it again. */
    static final JsonArray ITEMS = items();

    private ApiPayloads() {
    }

    private static JsonArray items() {
        JsonArray items = new JsonArray();
        for (int i = 1; i <= 100; i++) {
            items.add(new JsonObject().put("id", i).put("sku", String.format("SKU-%05d", i)).put("name", "Item " + i)
                    .put("email", "user" + i + "@example.com").put("active", i % 3 != 0).put("quantity", (i * 7) % 100)
                    .put("priceCents", i * 199).put("tags", new JsonArray().add("t" + i % 5).add("t" + i % 7).add("t" + i % 11))
                    .put("description", DESCRIPTION));
        }
        return items;
    }

    /** POST /validated: the user back (200), 422 problem+json naming the invalid fields, 400 for a body that is not one. */
    static void validated(RoutingContext ctx) {
        JsonObject user;
        try {
            user = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        if (user == null) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        Object name = user.getValue("name");
        Object email = user.getValue("email");
        Object age = user.getValue("age");
        JsonArray errors = new JsonArray();
        if (!(age instanceof Number n) || n.longValue() < 0) {
            errors.add(error("age", "must be greater than or equal to 0"));
        }
        if (!(email instanceof String e) || e.isBlank()) {
            errors.add(error("email", "must not be blank"));
        } else if (!EMAIL.matcher(e).matches()) {
            errors.add(error("email", "must be a well-formed email address"));
        }
        if (!(name instanceof String s) || s.isBlank()) {
            errors.add(error("name", "must not be blank"));
        } else if (s.length() > 50) {
            errors.add(error("name", "size must be between 0 and 50"));
        }
        if (errors.isEmpty()) {
            ctx.json(new JsonObject().put("name", name).put("email", email).put("age", age));
            return;
        }
        ctx.response().setStatusCode(422).putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                .end(new JsonObject().put("type", "about:blank").put("title", "Validation failed").put("status", 422)
                        .put("detail", errors.size() + " field(s) invalid").put("errors", errors).encode());
    }

    private static JsonObject error(String field, String message) {
        return new JsonObject().put("field", field).put("message", message);
    }
}
