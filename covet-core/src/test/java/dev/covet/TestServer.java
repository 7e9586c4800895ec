package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Covet server for one test class ({@code @RegisterExtension static final TestServer server = ...}):
 * started before the class's tests on a free port, stopped after them, and then checked for leaked
 * buffers, so every raw-socket test is also a leak test.
 *
 * <p>Routes every test can rely on ({@link #standardRoutes}): {@code GET /health}, {@code GET /hello},
 * body echoes ({@code POST /echo}, non-blocking {@code POST /echo-nb}, 16-byte-limited {@code /small}
 * and {@code /small-nb}), a chunked response ({@code GET /stream}), {@code GET|PUT /resource}, and
 * {@code /count}, {@code /smuggled}: routes that count their calls, to prove a request was or was not run.
 */
final class TestServer implements BeforeAllCallback, AfterAllCallback {
    static final String HEALTH = "GET /health HTTP/1.1\r\nHost: test\r\n\r\n";

    static {
        NettyLeaks.install(); // normally done earlier by NettyLeaks.Installer; harmless if so
    }

    private final Consumer<CovetConfig> configure;
    private final Consumer<Covet> routes;
    final AtomicInteger counted = new AtomicInteger();
    final AtomicInteger smuggled = new AtomicInteger();
    private Covet app;

    private TestServer(Consumer<CovetConfig> configure, Consumer<Covet> routes) {
        this.configure = configure;
        this.routes = routes;
    }

    /** A server with the standard routes and default limits. */
    static TestServer create() {
        return create(config -> { });
    }

    /** A server with the standard routes and the given settings. */
    static TestServer create(Consumer<CovetConfig> configure) {
        return new TestServer(configure, app -> { });
    }

    /** A server with the standard routes, the given settings and extra routes. */
    static TestServer create(Consumer<CovetConfig> configure, Consumer<Covet> routes) {
        return new TestServer(configure, routes);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        app = Covet.create(config -> {
            config.port(0).loadExternal(false).handleSignals(false).ioThreads(2)
                    .shutdownTimeout(Duration.ofSeconds(2));
            configure.accept(config);
        });
        standardRoutes(app);
        routes.accept(app);
        app.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (app != null) {
            app.stop();
        }
        NettyLeaks.assertNoLeaks();
    }

    private void standardRoutes(Covet app) {
        RouteOptions nonBlocking = RouteOptions.create().nonBlocking();
        app.get("/health", ctx -> ctx.text("ok"), nonBlocking);
        app.get("/hello", ctx -> ctx.text("hello"));
        app.post("/echo", ctx -> ctx.bytes(ctx.bodyAsBytes()));
        app.post("/echo-nb", ctx -> ctx.bytes(ctx.bodyAsBytes()), nonBlocking);
        app.post("/small", ctx -> ctx.bytes(ctx.bodyAsBytes()), RouteOptions.create().maxBodySize(16));
        app.post("/small-nb", ctx -> ctx.bytes(ctx.bodyAsBytes()), nonBlocking.maxBodySize(16));
        app.get("/stream", ctx -> {
            OutputStream out = ctx.output();
            for (String part : new String[] {"one,", "two,", "three"}) {
                out.write(part.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        });
        app.get("/resource", ctx -> ctx.text("resource"));
        app.put("/resource", ctx -> ctx.status(204));
        app.get("/count", ctx -> ctx.text("count " + counted.incrementAndGet()));
        app.post("/count", ctx -> ctx.text("count " + counted.incrementAndGet() + " body " + ctx.body().length()));
        app.get("/smuggled", ctx -> ctx.text("smuggled " + smuggled.incrementAndGet()));
        app.post("/smuggled", ctx -> ctx.text("smuggled " + smuggled.incrementAndGet()));
    }

    int port() {
        return app.port();
    }

    Covet app() {
        return app;
    }

    RawHttp connect() {
        return RawHttp.connect(port());
    }

    /** Sends one request on a fresh connection and reads its response. */
    RawHttp.Response exchange(String request) {
        try (RawHttp client = connect()) {
            return client.send(request).read();
        }
    }

    /** A fresh connection still gets 200 for a normal request: whatever happened before did not harm the server. */
    void assertServesNextClient() {
        try (RawHttp client = connect()) {
            RawHttp.Response response = client.send(HEALTH).read();
            assertThat(response.status()).as("health check on a fresh connection").isEqualTo(200);
            assertThat(response.text()).isEqualTo("ok");
        }
    }
}
