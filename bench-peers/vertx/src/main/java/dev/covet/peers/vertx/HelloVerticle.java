package dev.covet.peers.vertx;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One HTTP server and router; Vert.x deploys one per event loop, all sharing the same port. */
final class HelloVerticle extends VerticleBase {

    private static final CharSequence SERVER_NAME = HttpHeaders.createOptimized("Vert.x");
    private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain");
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private final String host;
    private final int port;
    private final String dataUrl;
    private final boolean selectBatch;

    /** Refreshed once a second by a timer on this verticle's own event loop, which is the only reader. */
    private CharSequence date = now();

    /**
     * {@code dataUrl}: the {@code postgresql://} database of the database routes, or null for none;
     * {@code selectBatch}: see {@link DatabaseRoutes}.
     */
    HelloVerticle(String host, int port, String dataUrl, boolean selectBatch) {
        this.host = host;
        this.port = port;
        this.dataUrl = dataUrl;
        this.selectBatch = selectBatch;
    }

    @Override
    public Future<?> start() {
        vertx.setPeriodic(1000, id -> date = now());

        Router router = Router.router(vertx);
        // Every response carries Server and Date.
        router.route().handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.SERVER, SERVER_NAME).putHeader(HttpHeaders.DATE, date);
            ctx.next();
        });
        router.get("/plaintext").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN)
                .end("Hello, World!"));
        router.get("/json").handler(ctx -> ctx.json(new JsonObject().put("message", "Hello, World!")));
        router.post("/echo")
                .handler(BodyHandler.create(false).setBodyLimit(1 << 20))
                .handler(HelloVerticle::echo);
        router.get("/json-list").handler(ctx -> ctx.json(ApiPayloads.ITEMS));
        router.post("/validated")
                .handler(BodyHandler.create(false).setBodyLimit(1 << 20))
                .handler(ApiPayloads::validated);
        if (dataUrl != null) {
            new DatabaseRoutes(vertx, dataUrl, selectBatch).mount(router);
        }

        return vertx.createHttpServer().requestHandler(router).listen(port, host);
    }

    private static void echo(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        Buffer body = ctx.body().buffer();
        ctx.response().end(body == null ? Buffer.buffer() : body);
    }

    private static CharSequence now() {
        return HttpHeaders.createOptimized(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
    }
}
