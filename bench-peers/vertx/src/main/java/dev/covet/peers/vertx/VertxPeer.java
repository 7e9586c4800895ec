package dev.covet.peers.vertx;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

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
        try (VertxPeer peer = start(host, port)) {
            System.out.println("ready http://" + host + ":" + peer.port());
            awaitTermination();
        }
        System.exit(0);
    }

    /** Deploys the verticles listening on host:port and returns once all of them accept connections. */
    public static VertxPeer start(String host, int port) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            System.err.println("vertx peer: native transport unavailable: " + vertx.unavailableNativeTransportCause());
        }
        int instances = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
        try {
            vertx.deployVerticle(() -> new HelloVerticle(host, port), new DeploymentOptions().setInstances(instances))
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

    /** Blocks until SIGTERM or SIGINT, so main can stop the server and exit 0 (the JVM's own handler exits 143). */
    static void awaitTermination() throws InterruptedException {
        CountDownLatch signalled = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> signalled.countDown());
        Signal.handle(new Signal("INT"), s -> signalled.countDown());
        signalled.await();
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
