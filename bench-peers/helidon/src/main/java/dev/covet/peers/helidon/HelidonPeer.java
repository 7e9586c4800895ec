package dev.covet.peers.helidon;

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

    private final WebServer server;

    private HelidonPeer(WebServer server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime(); // logging.properties from the classpath, as the Helidon SE quickstart does
        String host = env("HOST", "127.0.0.1");
        int port = Integer.parseInt(env("PORT", "8080"));
        try (HelidonPeer peer = start(host, port)) {
            System.out.println("ready http://" + host + ":" + peer.port());
            awaitTermination();
        }
        System.exit(0);
    }

    /** Starts the webserver on host:port (0 picks a free port) and returns once it accepts connections. */
    public static HelidonPeer start(String host, int port) {
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .routing(HelidonPeer::routing)
                .build()
                .start();
        return new HelidonPeer(server);
    }

    static void routing(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
                    res.header(SERVER);
                    chain.proceed();
                })
                .get("/plaintext", (req, res) -> res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN).send("Hello, World!"))
                .get("/json", (req, res) -> res.send(new Message("Hello, World!")))
                .post("/echo", HelidonPeer::echo);
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
