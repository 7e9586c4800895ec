package dev.covet.peers.javalin;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson3;
import dev.covet.peers.jdbc.PeerDatabase;
import java.util.concurrent.CountDownLatch;

/**
 * Javalin 7 (Jetty 12 underneath) with its default settings except virtual threads, routes declared in the
 * config the way Javalin 7 wants them, JSON through Javalin's own Jackson 3 mapper; the database routes block
 * on a HikariCP pool ({@link PeerDatabase}), as Javalin's TechEmpower entry does.
 */
public final class JavalinPeer implements AutoCloseable {

    private final Javalin app;
    private final PeerDatabase db;

    private JavalinPeer(Javalin app, PeerDatabase db) {
        this.app = app;
        this.db = db;
    }

    public static void main(String[] args) throws Exception {
        String host = env("HOST", "127.0.0.1");
        int port = Integer.parseInt(env("PORT", "8080"));
        try (JavalinPeer peer = start(host, port, System.getenv("COVET_DATA_URL"))) {
            System.out.println("ready http://" + host + ":" + peer.port());
            awaitTermination();
        }
        System.exit(0);
    }

    /** Starts Jetty on host:port (0 picks a free port) without the database routes. */
    public static JavalinPeer start(String host, int port) {
        return start(host, port, null);
    }

    /**
     * Starts Jetty on host:port (0 picks a free port) and returns once it accepts connections; with a
     * {@code postgresql://} URL it also serves TechEmpower's database routes, blocking on a HikariCP pool.
     */
    public static JavalinPeer start(String host, int port, String dataUrl) {
        PeerDatabase db = dataUrl == null || dataUrl.isBlank() ? null : PeerDatabase.open(dataUrl);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // Requests on virtual threads (Jetty's pool on a virtual-thread executor), Javalin's documented switch:
            // on the harness's one pinned core the default pool of up to 250 platform threads ran ~80 of them
            // at once, and they left the JIT compiler threads so little CPU that Javalin was still compiling in
            // the measured window (bench-peers/README.md, "Javalin").
            config.concurrency.useVirtualThreads = true;
            config.jsonMapper(new JavalinJackson3());
            config.routes.before(ctx -> ctx.header("Server", "Javalin"));
            config.routes.get("/plaintext", ctx -> ctx.contentType("text/plain").result("Hello, World!"));
            config.routes.get("/json", ctx -> ctx.json(new Message("Hello, World!")));
            config.routes.post("/echo", JavalinPeer::echo);
            if (db != null) {
                config.routes.get("/db", ctx -> ctx.json(db.world()));
                config.routes.get("/queries", ctx -> ctx.json(db.worlds(PeerDatabase.queries(ctx.queryParam("queries")))));
                config.routes.get("/updates", ctx -> ctx.json(db.updateWorlds(PeerDatabase.queries(ctx.queryParam("queries")))));
                config.routes.get("/fortunes", ctx -> ctx.contentType("text/html; charset=utf-8").result(db.fortunesPage()));
            }
        });
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            if (db != null) {
                db.close();
            }
            throw e;
        }
        return new JavalinPeer(app, db);
    }

    private static void echo(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType != null) {
            ctx.contentType(contentType);
        }
        ctx.result(ctx.bodyAsBytes());
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        if (db != null) {
            db.close();
        }
    }

    /**
     * Blocks until SIGTERM or SIGINT, so that main can stop the server and exit 0: the JVM's own handler
     * would exit 143. sun.misc.Signal (module jdk.unsupported) is the only way to replace it; javac warns.
     */
    static void awaitTermination() throws InterruptedException {
        CountDownLatch signalled = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> signalled.countDown());
        }
        signalled.await();
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
