package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WebSocket liveness (ping, idle), slow clients, Origin checks and shutdown, each on its own server. */
class WebSocketLimitsTest {
    private Covet app;
    private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private int start(Consumer<CovetConfig> config, Consumer<WebSocketEndpoint> endpoint) {
        app = Covet.create(c -> config.accept(c.port(0).handleSignals(false).loadExternal(false)
                .shutdownTimeout(Duration.ofSeconds(3))));
        app.ws("/ws", ws -> {
            ws.onText((session, text) -> session.sendText(text));
            ws.onClose((session, code, reason) -> closes.add(code + " " + reason));
            endpoint.accept(ws);
        });
        app.start();
        return app.port();
    }

    @Test
    void aClientThatDoesNotAnswerPingsIsDropped() throws InterruptedException {
        int port = start(c -> c.webSocketPingInterval(Duration.ofMillis(200)), ws -> { });
        try (WsClient client = WsClient.open(port, "/ws")) {
            assertThat(client.read().opcode()).isEqualTo(WsClient.PING);
            WsClient.Frame close = client.readMessage();
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(client.serverClosedTcp()).isTrue();
        }
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1001 No pong");
    }

    @Test
    void aClientThatAnswersPingsStaysConnected() {
        int port = start(c -> c.webSocketPingInterval(Duration.ofMillis(100)), ws -> { });
        try (WsClient client = WsClient.open(port, "/ws")) {
            for (int i = 0; i < 8; i++) {
                WsClient.Frame ping = client.read();
                assertThat(ping.opcode()).isEqualTo(WsClient.PING);
                client.frame(true, WsClient.PONG, ping.payload());
            }
            client.text("still here");
            assertThat(client.readMessage().text()).isEqualTo("still here");
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws InterruptedException {
        int port = start(c -> c.webSocketIdleTimeout(Duration.ofMillis(300)), ws -> { });
        try (WsClient client = WsClient.open(port, "/ws")) {
            long started = System.nanoTime();
            assertThat(client.readMessage().closeCode()).isEqualTo(1001);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(250));
        }
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1001 Idle timeout");
    }

    /** Floods a client that never reads; returns how many sends were refused. */
    private static void flood(WebSocketSession session, AtomicInteger refused) {
        byte[] kilobyte = new byte[1024];
        for (int i = 0; i < 200_000 && refused.get() < 10; i++) {
            if (!session.sendBinary(kilobyte)) {
                refused.incrementAndGet();
            }
        }
    }

    @Test
    void aSlowClientIsClosedWhenItsQueueIsFull() throws InterruptedException {
        AtomicInteger refused = new AtomicInteger();
        int port = start(c -> c.webSocketMaxQueuedBytes(64 * 1024),
                ws -> ws.onOpen(session -> flood(session, refused)));
        try (WsClient client = WsClient.open(port, "/ws")) {
            assertThat(closes.poll(10, TimeUnit.SECONDS)).startsWith("1008");
            assertThat(refused.get()).isPositive();
        }
    }

    /** A route that floods each new client, which never reads, until ten sends were refused. */
    private static final class Flood {
        final AtomicInteger refused = new AtomicInteger();
        final CompletableFuture<Boolean> openAfterFlood = new CompletableFuture<>();

        void onOpen(WebSocketEndpoint ws) {
            ws.onOpen(session -> {
                flood(session, refused);
                openAfterFlood.complete(session.isOpen());
            });
        }

        /** Asserts the drop policy: sends were refused, the connection stayed open and nothing closed. */
        void assertDroppedButStayedOpen(int port, String path, BlockingQueue<String> closes) throws Exception {
            try (WsClient client = WsClient.open(port, path)) {
                assertThat(openAfterFlood.get(10, TimeUnit.SECONDS)).isTrue();
                assertThat(refused.get()).isEqualTo(10);
                assertThat(closes).isEmpty();
            }
        }
    }

    @Test
    void withTheDropPolicyASlowClientLosesMessagesButStaysConnected() throws Exception {
        Flood flood = new Flood();
        int port = start(c -> c.webSocketMaxQueuedBytes(64 * 1024).webSocketOverflow(CovetConfig.WebSocketOverflow.DROP),
                flood::onOpen);
        flood.assertDroppedButStayedOpen(port, "/ws", closes);
    }

    /** Starts an app with the default limits on {@code /ws} and {@code route}'s own limits on {@code /ws/own}. */
    private int startWithOwnRoute(Consumer<CovetConfig> config, Consumer<WebSocketEndpoint> route) {
        app = Covet.create(c -> config.accept(c.port(0).handleSignals(false).loadExternal(false)));
        app.ws("/ws", ws -> ws.onText((session, text) -> session.sendText(text))
                .onClose((session, code, reason) -> closes.add("/ws " + code + " " + reason)));
        app.ws("/ws/own", ws -> {
            ws.onText((session, text) -> session.sendText(text));
            ws.onClose((session, code, reason) -> closes.add("/ws/own " + code + " " + reason));
            route.accept(ws);
        });
        app.start();
        return app.port();
    }

    @Test
    void aRoutesOwnMessageSizeLimitOverridesTheAppsBothWays() {
        int port = startWithOwnRoute(c -> c.webSocketMaxMessageSize(1024), ws -> ws.maxMessageSize(4096));
        String twoKilobytes = "x".repeat(2048);
        try (WsClient client = WsClient.open(port, "/ws/own")) {
            client.text(twoKilobytes);
            assertThat(client.readMessage().text()).isEqualTo(twoKilobytes);
            client.text("y".repeat(5000));
            WsClient.Frame close = client.readMessage();
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(close.text()).contains("4096"); // the route's limit, not the app's 1024
        }
        try (WsClient client = WsClient.open(port, "/ws")) {
            client.text(twoKilobytes);
            assertThat(client.readMessage().closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void aRoutesOwnIdleTimeoutClosesOnlyItsConnections() throws InterruptedException {
        int port = startWithOwnRoute(c -> { }, ws -> ws.idleTimeout(Duration.ofMillis(300)));
        try (WsClient other = WsClient.open(port, "/ws"); WsClient own = WsClient.open(port, "/ws/own")) {
            assertThat(own.readMessage().closeCode()).isEqualTo(1001);
            assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("/ws/own 1001 Idle timeout");
            other.text("still here");
            assertThat(other.readMessage().text()).isEqualTo("still here");
        }
    }

    @Test
    void aRoutesOwnPingIntervalApplies() {
        int port = startWithOwnRoute(c -> { }, ws -> ws.pingInterval(Duration.ofMillis(100)));
        try (WsClient own = WsClient.open(port, "/ws/own")) {
            assertThat(own.read().opcode()).isEqualTo(WsClient.PING);
            assertThat(own.readMessage().closeCode()).isEqualTo(1001); // the ping went unanswered
        }
    }

    @Test
    void aRoutesOwnOutboundQueueAndPolicyOverrideTheApps() throws Exception {
        Flood flood = new Flood();
        // The app would close slow clients at 1 MiB; this route drops messages past 16 KiB instead.
        int port = startWithOwnRoute(c -> c.webSocketOverflow(CovetConfig.WebSocketOverflow.CLOSE),
                ws -> flood.onOpen(ws.outboundQueue(16 * 1024, CovetConfig.WebSocketOverflow.DROP)));
        flood.assertDroppedButStayedOpen(port, "/ws/own", closes);
    }

    @Test
    void invalidRouteLimitsAreRefusedWhenTheRouteIsAdded() {
        Covet app = Covet.create(c -> c.loadExternal(false));
        assertThatThrownBy(() -> app.ws("/a", ws -> ws.maxMessageSize(100))).hasMessageContaining(">= 125");
        assertThatThrownBy(() -> app.ws("/b", ws -> ws.idleTimeout(Duration.ZERO))).hasMessageContaining("positive");
        assertThatThrownBy(() -> app.ws("/c", ws -> ws.outboundQueue(0, CovetConfig.WebSocketOverflow.DROP)))
                .hasMessageContaining(">= 1");
        assertThatThrownBy(() -> app.ws("/d", ws -> ws.outboundQueue(1024, null))).hasMessageContaining("policy");
    }

    @Test
    void onlyAllowedOriginsMayConnect() {
        int port = start(c -> c.webSocketAllowedOrigins(List.of("https://good.example")), ws -> { });
        try (WsClient client = WsClient.handshake(port, "/ws", "Origin: https://good.example")) {
            assertThat(client.head.status()).isEqualTo(101);
        }
        try (WsClient client = WsClient.handshake(port, "/ws", "Origin: https://evil.example")) {
            assertThat(client.head.status()).isEqualTo(403);
        }
        try (WsClient client = WsClient.handshake(port, "/ws")) {
            assertThat(client.head.status()).isEqualTo(403);
        }
    }

    @Test
    void gracefulShutdownClosesWebSocketsWith1001() throws Exception {
        int port = start(c -> { }, ws -> { });
        try (WsClient client = WsClient.open(port, "/ws")) {
            long started = System.nanoTime();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(app::stop);
            WsClient.Frame close = client.readMessage();
            assertThat(close.closeCode()).isEqualTo(1001);
            client.close(1001, "");
            stopped.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1001 Server stopping");
        app = null;
    }
}
