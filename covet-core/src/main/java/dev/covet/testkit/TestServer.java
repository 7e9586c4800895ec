package dev.covet.testkit;

import dev.covet.Covet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Runs an app on a free port for a test and calls it with a ready client:
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(app)) {
 *     TestResponse response = server.get("/hello");
 *     assertThat(response.status()).isEqualTo(200);
 * }
 * }</pre>
 *
 * <p>The app is started on 127.0.0.1 with port 0, without signal handlers and without reading
 * {@code covet.properties} or {@code COVET_*} variables, so tests are isolated from the machine.
 */
public final class TestServer implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Covet app;
    private final HttpClient client;
    private final URI base;

    private TestServer(Covet app) {
        this.app = app;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        this.base = URI.create("http://127.0.0.1:" + app.port());
    }

    /**
     * Starts {@code app} for a test.
     *
     * @throws IllegalStateException if the app was already started
     */
    public static TestServer start(Covet app) {
        app.config().host("127.0.0.1").port(0).handleSignals(false).loadExternal(false);
        app.start();
        return new TestServer(app);
    }

    public Covet app() { return app; }
    public int port() { return app.port(); }
    public HttpClient client() { return client; }

    /** The absolute URI of {@code path} on this server. */
    public URI uri(String path) {
        return base.resolve(path);
    }

    public TestResponse get(String path) {
        return send(request(path).GET());
    }

    public TestResponse delete(String path) {
        return send(request(path).DELETE());
    }

    /** POSTs {@code json} with {@code Content-Type: application/json}. */
    public TestResponse postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** PUTs {@code json} with {@code Content-Type: application/json}. */
    public TestResponse putJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** POSTs a body with the given content type. */
    public TestResponse post(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** POSTs an {@code application/x-www-form-urlencoded} form. */
    public TestResponse postForm(String path, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return post(path, "application/x-www-form-urlencoded", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A request builder for {@code path} with this server's timeout, for anything the shortcuts lack. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
    }

    /** Sends a request built with {@link #request(String)}. */
    public TestResponse send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new TestResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Request to " + base + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /**
     * Opens a WebSocket to {@code path} (with its query) offering {@code subprotocols}.
     *
     * @throws TestWebSocket.Refused if the handshake is answered with another status than 101
     */
    public TestWebSocket webSocket(String path, String... subprotocols) {
        return TestWebSocket.open(client, URI.create("ws://127.0.0.1:" + app.port()).resolve(path), subprotocols);
    }

    /** Stops the app gracefully. */
    @Override
    public void close() {
        app.stop();
        client.close();
    }
}
