package dev.covet.peers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark harness expects of every target: {@code GET /plaintext}, {@code GET /json} and
 * {@code POST /echo} exactly as the TechEmpower rules describe them, each with Server and Date headers.
 * Each peer's test starts its server and calls {@link #assertServesTheBenchmarkEndpoints(int)}; the peers with
 * database routes also run {@link #assertServesTheDatabaseEndpoints(int, PeerTestDatabase)} against a
 * {@link PeerTestDatabase}.
 */
public final class PeerContract {
    private PeerContract() { }

    /**
     * Calls the three endpoints on 127.0.0.1:{@code port} and asserts status, body, Content-Type, Server and Date.
     *
     * @throws AssertionError naming the first thing that differs
     */
    public static void assertServesTheBenchmarkEndpoints(int port) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI base = URI.create("http://127.0.0.1:" + port);

            HttpResponse<String> plaintext = client.send(
                    HttpRequest.newBuilder(base.resolve("/plaintext")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plaintext.statusCode()).isEqualTo(200);
            assertThat(plaintext.body()).isEqualTo("Hello, World!");
            assertThat(plaintext.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            assertServerAndDate(plaintext);

            HttpResponse<String> json = client.send(
                    HttpRequest.newBuilder(base.resolve("/json")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.body()).isEqualTo("{\"message\":\"Hello, World!\"}");
            assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertServerAndDate(json);

            byte[] payload = "ping \u00e9\u00e8 pong".getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> echo = client.send(
                    HttpRequest.newBuilder(base.resolve("/echo"))
                            .header("Content-Type", "application/x-covet-echo")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(echo.statusCode()).isEqualTo(200);
            assertThat(echo.body()).isEqualTo(payload);
            assertThat(echo.headers().firstValue("Content-Type")).hasValue("application/x-covet-echo");
            assertServerAndDate(echo);
        }
    }

    /**
     * Calls the API scenarios' endpoints, which only some peers serve: {@code GET /json-list} (100 items,
     * about 50 KB) and {@code POST /validated} with a valid user (200, the user back) and an invalid one
     * (422 problem+json naming name, email and age). The harness checks the whole list; this checks its shape.
     *
     * @throws AssertionError naming the first thing that differs
     */
    public static void assertServesTheApiEndpoints(int port) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpResponse<String> list = client.send(
                    HttpRequest.newBuilder(base.resolve("/json-list")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(list.body()).startsWith("[{\"id\":1,\"sku\":\"SKU-00001\",\"name\":\"Item 1\",\"email\":\"user1@example.com\","
                    + "\"active\":true,\"quantity\":7,\"priceCents\":199,\"tags\":[\"t1\",\"t1\",\"t1\"],\"description\":\"An item");
            assertThat(list.body().split("\"sku\"")).hasSize(101);
            assertThat(list.body().length()).isBetween(45_000, 55_000);
            assertServerAndDate(list);

            String valid = "{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"age\":36}";
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(base.resolve("/validated"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(valid)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo(valid);
            assertServerAndDate(ok);

            HttpResponse<String> bad = client.send(HttpRequest.newBuilder(base.resolve("/validated"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"\",\"email\":\"not-an-email\",\"age\":-1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.body()).contains("\"status\":422").contains("\"field\":\"name\"").contains("\"field\":\"email\"")
                    .contains("\"field\":\"age\"");
            assertServerAndDate(bad);
        }
    }

    private static final Pattern WORLD = Pattern.compile("\\{\\s*\"id\"\\s*:\\s*(\\d+)\\s*,\\s*\"randomNumber\"\\s*:\\s*(\\d+)\\s*}");

    /**
     * Calls TechEmpower's database endpoints against {@code db}, the database the peer was started on, and checks
     * them against its rows: {@code /db} (one object), {@code /queries} (the count clamped to 1..500, 1 when missing
     * or not a number), {@code /fortunes} (the exact page, escaped, {@code text/html; charset=utf-8}) and
     * {@code /updates} (the rows it returns are the ones PostgreSQL holds afterwards).
     *
     * @throws AssertionError naming the first thing that differs
     */
    public static void assertServesTheDatabaseEndpoints(int port, PeerTestDatabase db)
            throws IOException, InterruptedException, SQLException {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI base = URI.create("http://127.0.0.1:" + port);
            Map<Integer, Integer> rows = db.worldSnapshot();

            HttpResponse<String> one = getJson(client, base.resolve("/db"));
            assertThat(one.body().strip()).as("/db is one object, not an array").startsWith("{");
            assertWorldsMatch(worlds(one.body(), 1), rows);

            for (Map.Entry<String, Integer> c : Map.of("", 1, "?queries=", 1, "?queries=foo", 1, "?queries=0", 1,
                    "?queries=20", 20, "?queries=501", 500).entrySet()) {
                HttpResponse<String> many = getJson(client, base.resolve("/queries" + c.getKey()));
                assertThat(many.body().strip()).as("/queries%s is an array", c.getKey()).startsWith("[").endsWith("]");
                assertWorldsMatch(worlds(many.body(), c.getValue()), rows);
            }

            HttpResponse<String> fortunes = client.send(HttpRequest.newBuilder(base.resolve("/fortunes")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(fortunes.statusCode()).isEqualTo(200);
            assertThat(fortunes.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type.replace(" ", "")).isEqualToIgnoringCase("text/html;charset=utf-8"));
            assertThat(normalizeHtml(fortunes.body())).isEqualTo(normalizeHtml(expectedFortunesPage()));
            assertServerAndDate(fortunes);

            assertThat(worlds(getJson(client, base.resolve("/updates?queries=bar")).body(), 1)).hasSize(1);
            List<int[]> updated = worlds(getJson(client, base.resolve("/updates?queries=20")).body(), 20);
            Map<Integer, Integer> written = new LinkedHashMap<>();
            updated.forEach(w -> written.put(w[0], w[1]));
            Map<Integer, Integer> after = db.worldSnapshot();
            written.forEach((id, number) -> assertThat(after.get(id)).as("World %d after /updates", id).isEqualTo(number));
        }
    }

    private static HttpResponse<String> getJson(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status of %s", uri).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertServerAndDate(response);
        return response;
    }

    /** The {id, randomNumber} pairs of a body holding exactly {@code count} World objects and nothing else. */
    private static List<int[]> worlds(String body, int count) {
        List<int[]> found = new ArrayList<>();
        Matcher m = WORLD.matcher(body);
        while (m.find()) {
            found.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        assertThat(found).as("World objects in %s", body.length() > 200 ? body.substring(0, 200) + "…" : body).hasSize(count);
        assertThat(WORLD.matcher(body).replaceAll("").replaceAll("[\\s,\\[\\]]", "")).as("anything besides World objects").isEmpty();
        return found;
    }

    private static void assertWorldsMatch(List<int[]> worlds, Map<Integer, Integer> rows) {
        for (int[] w : worlds) {
            assertThat(rows.get(w[0])).as("randomNumber of World %d", w[0]).isEqualTo(w[1]);
        }
    }

    /** The page TechEmpower's rules describe: the 12 fortunes plus the added one, sorted by message, escaped. */
    static String expectedFortunesPage() {
        List<String> messages = new ArrayList<>(PeerTestDatabase.FORTUNES);
        messages.add("Additional fortune added at request time.");
        messages.sort(Comparator.naturalOrder());
        StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
                + "<tr><th>id</th><th>message</th></tr>");
        for (String m : messages) {
            int id = PeerTestDatabase.FORTUNES.indexOf(m) + 1; // the added one is not in the table: id 0
            sb.append("<tr><td>").append(id).append("</td><td>")
                    .append(m.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).append("</td></tr>");
        }
        return sb.append("</table></body></html>").toString();
    }

    /** Whitespace between tags dropped, and quotes unescaped whichever entity was used (they need no escaping in text). */
    private static String normalizeHtml(String html) {
        return html.strip().replaceAll(">\\s+<", "><")
                .replace("&quot;", "\"").replace("&#34;", "\"").replace("&#x22;", "\"")
                .replace("&#39;", "'").replace("&#x27;", "'").replace("&apos;", "'");
    }

    private static void assertServerAndDate(HttpResponse<?> response) {
        assertThat(response.headers().firstValue("Server")).hasValueSatisfying(server -> assertThat(server).isNotBlank());
        assertThat(response.headers().firstValue("Date")).hasValueSatisfying(
                date -> assertThat(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date)).isNotNull());
    }
}
