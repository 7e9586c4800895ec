package dev.covet.peers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

/**
 * What the benchmark harness expects of every target: {@code GET /plaintext}, {@code GET /json} and
 * {@code POST /echo} exactly as the TechEmpower rules describe them, each with Server and Date headers.
 * Each peer's test starts its server and calls {@link #assertServesTheBenchmarkEndpoints(int)}.
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

    private static void assertServerAndDate(HttpResponse<?> response) {
        assertThat(response.headers().firstValue("Server")).hasValueSatisfying(server -> assertThat(server).isNotBlank());
        assertThat(response.headers().firstValue("Date")).hasValueSatisfying(
                date -> assertThat(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date)).isNotNull());
    }
}
