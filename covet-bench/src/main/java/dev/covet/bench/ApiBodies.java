package dev.covet.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The request bodies and body rules of the realistic API scenarios: the large JSON list, the validated
 * POST (valid and invalid) and the JWT-authenticated GET. docs/benchmarking.md states each contract.
 *
 * <p>The list is generated here from its definition, not copied from a target, so a target that drops
 * an item or a field is caught. Its text duplicates what the demo and the peers serve on purpose: the
 * harness shares no code with what it measures.
 */
final class ApiBodies {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Items in the large list. */
    static final int LIST_SIZE = 100;
    /** The same text in every item of the list. */
    static final String DESCRIPTION = "An item of the large JSON benchmark. One hundred of them make about fifty kilobytes, the size"
            + " of a page of search results or of a product listing that an API typically returns. The list is built once at"
            + " start-up and serialized again on every request, so what is measured is the JSON writer, the buffers and the"
            + " socket.";

    /** The body the validation scenario posts: every field valid. */
    static final byte[] VALID_USER = "{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"age\":36}"
            .getBytes(StandardCharsets.US_ASCII);
    /** The body the invalid-validation scenario posts: all three fields invalid. */
    static final byte[] INVALID_USER = "{\"name\":\"\",\"email\":\"not-an-email\",\"age\":-1}".getBytes(StandardCharsets.US_ASCII);
    /** The fields a 422 answer to {@link #INVALID_USER} must name. */
    static final List<String> INVALID_FIELDS = List.of("name", "email", "age");

    private ApiBodies() {
    }

    /** The large list, compact JSON, fields in their defined order. */
    static byte[] largeList() {
        StringBuilder sb = new StringBuilder(56 * 1024).append('[');
        for (int i = 1; i <= LIST_SIZE; i++) {
            if (i > 1) {
                sb.append(',');
            }
            sb.append("{\"id\":").append(i)
                    .append(",\"sku\":\"").append(String.format("SKU-%05d", i))
                    .append("\",\"name\":\"Item ").append(i)
                    .append("\",\"email\":\"user").append(i).append("@example.com")
                    .append("\",\"active\":").append(i % 3 != 0)
                    .append(",\"quantity\":").append((i * 7) % 100)
                    .append(",\"priceCents\":").append(i * 199)
                    .append(",\"tags\":[\"t").append(i % 5).append("\",\"t").append(i % 7).append("\",\"t").append(i % 11)
                    .append("\"],\"description\":\"").append(DESCRIPTION).append("\"}");
        }
        return sb.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The same JSON value as {@code expected}: byte-equal bodies pass without parsing (the usual case);
     * others (different spacing or key order) are parsed and compared as trees.
     */
    static ParsedBodyCheck.BodyRule sameJson(byte[] expected) {
        JsonNode tree = JSON.readTree(expected);
        return (body, length) -> {
            if (length == expected.length && Arrays.equals(body, 0, length, expected, 0, length)) {
                return null;
            }
            JsonNode got = JSON.readTree(body, 0, length);
            return tree.equals(got) ? null : "JSON differs from the expected " + expected.length + "-byte document (got " + length + " bytes)";
        };
    }

    /** A problem+json document with status 422 whose {@code errors} name at least {@link #INVALID_FIELDS}. */
    static ParsedBodyCheck.BodyRule validationProblem() {
        return (body, length) -> {
            JsonNode node = JSON.readTree(body, 0, length);
            if (node == null || !node.isObject()) {
                return "expected a problem+json object";
            }
            JsonNode status = node.get("status");
            if (status == null || status.asInt() != 422) {
                return "problem status is " + status + ", expected 422";
            }
            JsonNode errors = node.get("errors");
            if (errors == null || !errors.isArray()) {
                return "problem has no errors array";
            }
            Set<String> named = new HashSet<>();
            for (JsonNode e : errors) {
                JsonNode field = e.get("field");
                if (field != null) {
                    named.add(field.asString());
                }
            }
            return named.containsAll(INVALID_FIELDS) ? null : "errors name " + named + ", expected at least " + INVALID_FIELDS;
        };
    }

    /** A JSON object whose {@code user} is the token's subject. */
    static ParsedBodyCheck.BodyRule authenticatedAs(String subject) {
        return (body, length) -> {
            JsonNode node = JSON.readTree(body, 0, length);
            JsonNode user = node == null ? null : node.get("user");
            if (user == null || !user.isString() || !user.asString().equals(subject)) {
                return "expected {\"user\":\"" + subject + "\",…}, got user " + user;
            }
            return null;
        };
    }
}
