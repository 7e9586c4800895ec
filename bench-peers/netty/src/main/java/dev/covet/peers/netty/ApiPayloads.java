package dev.covet.peers.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The payloads of the benchmark's API scenarios (docs/benchmarking.md): the 100-item list of
 * {@code GET /json-list}, and the user of {@code POST /validated} with its checks, written by hand as a
 * raw-Netty application would (the same rules as the demo's Bean Validation annotations: name not blank
 * and at most 50 characters, email not blank and shaped like an address, age at least 0).
 */
final class ApiPayloads {
    static final String DESCRIPTION = "An item of the large JSON benchmark. One hundred of them make about fifty kilobytes, the size"
            + " of a page of search results or of a product listing that an API typically returns. The list is built once at"
            + " start-up and serialized again on every request, so what is measured is the JSON writer, the buffers and the"
            + " socket.";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    /** One item of the list; field order is the serialized order. */
    record Item(int id, String sku, String name, String email, boolean active, int quantity, int priceCents,
                List<String> tags, String description) {
    }

    /** The body of {@code POST /validated}. */
    record NewUser(String name, String email, Integer age) {
    }

    /** One invalid field of a 422 answer. */
    record FieldError(String field, String message) {
    }

    /** The 422 answer (RFC 9457 problem details). */
    record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    }

    /** The list, built once: every request serializes it again. */
    static final List<Item> ITEMS = items();

    private ApiPayloads() {
    }

    private static List<Item> items() {
        List<Item> items = new ArrayList<>(100);
        for (int i = 1; i <= 100; i++) {
            items.add(new Item(i, String.format("SKU-%05d", i), "Item " + i, "user" + i + "@example.com", i % 3 != 0, (i * 7) % 100,
                    i * 199, List.of("t" + i % 5, "t" + i % 7, "t" + i % 11), DESCRIPTION));
        }
        return List.copyOf(items);
    }

    /** The invalid fields of {@code user}, sorted by field name; empty when it is valid. */
    static List<FieldError> invalidFields(NewUser user) {
        List<FieldError> errors = new ArrayList<>(3);
        if (user.age() == null || user.age() < 0) {
            errors.add(new FieldError("age", "must be greater than or equal to 0"));
        }
        if (user.email() == null || user.email().isBlank()) {
            errors.add(new FieldError("email", "must not be blank"));
        } else if (!EMAIL.matcher(user.email()).matches()) {
            errors.add(new FieldError("email", "must be a well-formed email address"));
        }
        if (user.name() == null || user.name().isBlank()) {
            errors.add(new FieldError("name", "must not be blank"));
        } else if (user.name().length() > 50) {
            errors.add(new FieldError("name", "size must be between 0 and 50"));
        }
        return errors;
    }

    static Problem validationProblem(List<FieldError> errors) {
        return new Problem("about:blank", "Validation failed", 422, errors.size() + " field(s) invalid", errors);
    }
}
