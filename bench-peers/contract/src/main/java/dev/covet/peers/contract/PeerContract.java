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

    private static void assertServerAndDate(HttpResponse<?> response) {
        assertThat(response.headers().firstValue("Server")).hasValueSatisfying(server -> assertThat(server).isNotBlank());
        assertThat(response.headers().firstValue("Date")).hasValueSatisfying(
                date -> assertThat(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date)).isNotNull());
    }
}
