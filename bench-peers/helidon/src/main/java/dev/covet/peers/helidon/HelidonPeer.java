package dev.covet.peers.helidon;

import dev.covet.peers.jdbc.PeerDatabase;
import io.helidon.http.Header;
import io.helidon.logging.common.LogConfig;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.concurrent.CountDownLatch;

/**
 * Helidon SE 4: the virtual-thread webserver with its default configuration, an {@link HttpRouting}
 * with one handler per route, JSON through Helidon's Jackson media support (found on the classpath,
 * nothing to register).
 */
public final class HelidonPeer implements AutoCloseable {

    private static final Header SERVER = HeaderValues.createCached(HeaderNames.SERVER, "Helidon");

    private static final Header TEXT_HTML_UTF8 = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");

    private final WebServer server;
    private final PeerDatabase db;

    private HelidonPeer(WebServer server, PeerDatabase db) {
        this.server = server;
        this.db = db;
    }

    public static void main(String[] args) throws Exception {
        // Helidon installs a JVM-wide deserialization filter that denies everything not listed. The
        // harness reads allocation and GC counters over local JMX (RMI), whose arguments that filter
        // rejected, so Helidon's figures were "unavailable". Allowing the JDK's own JMX/RMI classes
        // changes nothing the benchmark measures (no request deserializes anything).
        System.setProperty("helidon.serialFilter.pattern", System.getProperty("helidon.serialFilter.pattern",
                "java.**;javax.management.**;javax.security.auth.Subject;sun.rmi.**;jdk.management.**;com.sun.management.**"));
        LogConfig.configureRuntime(); // logging.properties from the classpath, as the Helidon SE quickstart does
        String host = env("HOST", "127.0.0.1");
        int port = Integer.parseInt(env("PORT", "8080"));
        try (HelidonPeer peer = start(host, port, System.getenv("COVET_DATA_URL"))) {
            System.out.println("ready http://" + host + ":" + peer.port());
            awaitTermination();
        }
        System.exit(0);
    }

    /** Starts the webserver on host:port (0 picks a free port) without the database routes. */
    public static HelidonPeer start(String host, int port) {
        return start(host, port, null);
    }

    /**
     * Starts the webserver on host:port (0 picks a free port) and returns once it accepts connections; with a
     * {@code postgresql://} URL it also serves TechEmpower's database routes, each request's virtual thread
     * blocking on a HikariCP pool.
     */
    public static HelidonPeer start(String host, int port, String dataUrl) {
        PeerDatabase db = dataUrl == null || dataUrl.isBlank() ? null : PeerDatabase.open(dataUrl);
        try {
            WebServer server = WebServer.builder()
                    .host(host)
                    .port(port)
                    .routing(routing -> routing(routing, db))
                    .build()
                    .start();
            return new HelidonPeer(server, db);
        } catch (RuntimeException e) {
            if (db != null) {
                db.close();
            }
            throw e;
        }
    }

    static void routing(HttpRouting.Builder routing, PeerDatabase db) {
        routing.addFilter((chain, req, res) -> {
                    res.header(SERVER);
                    chain.proceed();
                })
                .get("/plaintext", (req, res) -> res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN).send("Hello, World!"))
                .get("/json", (req, res) -> res.send(new Message("Hello, World!")))
                .post("/echo", HelidonPeer::echo);
        if (db != null) {
            routing.get("/db", (req, res) -> res.send(db.world()))
                    .get("/queries", (req, res) -> res.send(db.worlds(queries(req))))
                    .get("/updates", (req, res) -> res.send(db.updateWorlds(queries(req))))
                    .get("/fortunes", (req, res) -> res.header(TEXT_HTML_UTF8).send(db.fortunesPage()));
        }
    }

    private static int queries(ServerRequest req) {
        return PeerDatabase.queries(req.query().first("queries").orElse(null));
    }

    private static void echo(ServerRequest req, ServerResponse res) {
        req.headers().contentType().ifPresent(type -> res.headers().contentType(type));
        res.send(req.content().as(byte[].class));
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
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
