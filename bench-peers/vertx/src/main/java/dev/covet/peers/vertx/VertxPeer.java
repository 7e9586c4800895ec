package dev.covet.peers.vertx;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;

/**
 * Vert.x 5 with vertx-web's Router, written the way the Vert.x docs recommend for production:
 * the native (epoll) transport when available, and one {@link HelloVerticle} instance per event loop
 * so every core serves requests on the shared listening socket.
 */
public final class VertxPeer implements AutoCloseable {

    private final Vertx vertx;
    private final int port;

    private VertxPeer(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        String host = env("HOST", "127.0.0.1");
        int port = Integer.parseInt(env("PORT", "8080"));
        boolean selectBatch = Boolean.parseBoolean(env("PEER_SELECT_BATCH", "false"));
        try (VertxPeer peer = start(host, port, System.getenv("COVET_DATA_URL"), selectBatch)) {
            System.out.println("ready http://" + host + ":" + peer.port());
            awaitTermination();
        }
        System.exit(0);
    }

    /** Deploys the verticles on host:port (0 picks a free port) without the database routes. */
    public static VertxPeer start(String host, int port) throws IOException {
        return start(host, port, null);
    }

    /**
     * Deploys the verticles listening on host:port (0 picks a free port) and returns once all of them accept
     * connections; with a {@code postgresql://} URL each verticle also serves TechEmpower's database routes
     * over its own pipelined PostgreSQL connection ({@link DatabaseRoutes}).
     */
    public static VertxPeer start(String host, int port, String dataUrl) throws IOException {
        return start(host, port, dataUrl, false);
    }

    /**
     * As {@link #start(String, int, String)}; with {@code selectBatch} (env {@code PEER_SELECT_BATCH=true})
     * {@code /queries} and {@code /updates} send their SELECTs as one {@code executeBatch} instead of one
     * pipelined statement each, as Covet's {@code queryOneEach} does: a like-for-like comparison.
     */
    public static VertxPeer start(String host, int port, String dataUrl, boolean selectBatch) throws IOException {
        String database = dataUrl == null || dataUrl.isBlank() ? null : dataUrl;
        if (port == 0) {
            // Every verticle instance must listen on the same port for Vert.x to share it: choose one up front.
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                port = probe.getLocalPort();
            }
        }
        int listenPort = port;
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            System.err.println("vertx peer: native transport unavailable: " + vertx.unavailableNativeTransportCause());
        }
        int instances = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
        try {
            vertx.deployVerticle(() -> new HelloVerticle(host, listenPort, database, selectBatch), new DeploymentOptions().setInstances(instances))
                    .await();
        } catch (RuntimeException e) {
            vertx.close().await();
            throw e;
        }
        return new VertxPeer(vertx, port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        vertx.close().await();
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
