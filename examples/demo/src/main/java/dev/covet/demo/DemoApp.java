package dev.covet.demo;

import dev.covet.Covet;
import dev.covet.RouteOptions;

/**
 * The demo app the README starts: the TechEmpower {@code /plaintext} and {@code /json} endpoints, a
 * {@code POST /echo}, and one small example route per feature (see docs/).
 *
 * <p>{@code DEMO_NON_BLOCKING=true} serves /plaintext, /json and the TechEmpower database endpoints on the
 * I/O thread instead of a virtual thread, so the benchmark can measure both modes.
 */
public final class DemoApp {
    private DemoApp() { }

    /** The demo's JSON message, serialized per request as the TechEmpower rules ask. */
    public record Message(String message) { }

    /** {@code DEMO_NON_BLOCKING=true}: the TechEmpower routes run on the I/O thread (database ones too, see DataExamples). */
    static boolean nonBlocking() {
        return Boolean.parseBoolean(System.getenv().getOrDefault("DEMO_NON_BLOCKING", "false"));
    }

    public static Covet create() {
        RouteOptions tfb = nonBlocking() ? RouteOptions.create().nonBlocking() : RouteOptions.create();
        Covet app = Covet.create();
        app.get("/plaintext", ctx -> ctx.text("Hello, World!"), tfb);
        app.get("/json", ctx -> ctx.json(new Message("Hello, World!")), tfb);
        app.post("/echo", ctx -> ctx.contentType(ctx.contentType().orElse("application/octet-stream"))
                .bytes(ctx.bodyAsBytes()));
        Examples.register(app);
        BroadcastExample.register(app);
        return app;
    }

    public static void main(String[] args) {
        create().start();
    }
}
