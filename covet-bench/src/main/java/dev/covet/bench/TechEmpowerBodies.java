package dev.covet.bench;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body rules of TechEmpower's database tests, after the FrameworkBenchmarks project's
 * "Framework Tests" requirements:
 *
 * <ul>
 * <li>{@code /db}: one JSON object {@code {"id":…,"randomNumber":…}} (not an array), the id within the
 *     table's range, randomNumber within 1..10,000.
 * <li>{@code /queries}, {@code /updates}, {@code /cached-queries}: a JSON array of exactly as many such
 *     objects as the clamped count asks for (1..500).
 * <li>{@code /fortunes}: the HTML table of the 12 fortunes plus the one added at request time, sorted by
 *     message, with {@code <}, {@code >} and {@code &} escaped (the row holding a script tag must not come
 *     through raw) and the Japanese row intact as UTF-8.
 * </ul>
 *
 * Each rule returns null for a good body or one line saying what is wrong.
 */
final class TechEmpowerBodies {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SPACE_BETWEEN_TAGS = Pattern.compile(">\\s+<");

    private TechEmpowerBodies() {
    }

    /** {@code /db}: one World object with an id in 1..worldRows. */
    static ParsedBodyCheck.BodyRule world(int worldRows) {
        return (body, length) -> {
            JsonNode node = JSON.readTree(body, 0, length);
            if (node == null || !node.isObject()) {
                return "expected one JSON object, got " + kind(node);
            }
            return worldProblem(node, worldRows);
        };
    }

    /** {@code /queries}, {@code /updates}, {@code /cached-queries}: exactly {@code count} World objects. */
    static ParsedBodyCheck.BodyRule worlds(int count, int worldRows) {
        return (body, length) -> {
            JsonNode node = JSON.readTree(body, 0, length);
            if (node == null || !node.isArray()) {
                return "expected a JSON array, got " + kind(node);
            }
            if (node.size() != count) {
                return "expected " + count + " World objects, got " + node.size();
            }
            for (JsonNode w : node) {
                String problem = w.isObject() ? worldProblem(w, worldRows) : "array element is " + kind(w);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        };
    }

    private static String worldProblem(JsonNode w, int worldRows) {
        if (w.size() != 2) {
            return "a World object has exactly the fields id and randomNumber, this one has " + w.size() + " fields";
        }
        JsonNode id = w.get("id");
        JsonNode number = w.get("randomNumber");
        if (id == null || !id.isIntegralNumber() || number == null || !number.isIntegralNumber()) {
            return "a World object needs integer fields id and randomNumber: " + w;
        }
        if (id.asLong() < 1 || id.asLong() > worldRows) {
            return "id " + id.asLong() + " outside 1.." + worldRows;
        }
        if (number.asLong() < 1 || number.asLong() > TechEmpowerData.RANDOM_NUMBER_MAX) {
            return "randomNumber " + number.asLong() + " outside 1.." + TechEmpowerData.RANDOM_NUMBER_MAX;
        }
        return null;
    }

    /** {@code /fortunes}: the expected page, compared after {@link #normalizeHtml}. */
    static ParsedBodyCheck.BodyRule fortunes() {
        String expected = normalizeHtml(expectedFortunesHtml());
        return (body, length) -> {
            String got = normalizeHtml(new String(body, 0, length, StandardCharsets.UTF_8));
            if (got.equals(expected)) {
                return null;
            }
            int i = 0;
            while (i < got.length() && i < expected.length() && got.charAt(i) == expected.charAt(i)) {
                i++;
            }
            return "fortunes page differs at character " + i + ": got '" + excerpt(got, i) + "', expected '" + excerpt(expected, i) + "'";
        };
    }

    /** The page TechEmpower's requirements describe, escaped the strict way. */
    static String expectedFortunesHtml() {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
                + "<tr><th>id</th><th>message</th></tr>");
        for (TechEmpowerData.Fortune f : TechEmpowerData.fortunesPage()) {
            sb.append("<tr><td>").append(f.id()).append("</td><td>").append(escape(f.message())).append("</td></tr>");
        }
        return sb.append("</table></body></html>").toString();
    }

    /**
     * Makes equivalent pages equal: whitespace between tags and at the ends is dropped (the
     * requirements allow it), and quotes, which need no escaping in text, are unescaped whichever
     * entity was used. {@code &lt;}, {@code &gt;} and {@code &amp;} stay as they are, so a page that does
     * not escape them still differs.
     */
    static String normalizeHtml(String html) {
        return SPACE_BETWEEN_TAGS.matcher(html.strip()).replaceAll("><")
                .replace("&quot;", "\"").replace("&#34;", "\"").replace("&#x22;", "\"")
                .replace("&#39;", "'").replace("&#x27;", "'").replace("&apos;", "'");
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String excerpt(String s, int at) {
        int from = Math.max(0, at - 20);
        return s.substring(from, Math.min(s.length(), at + 40));
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
