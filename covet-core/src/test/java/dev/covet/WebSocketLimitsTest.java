package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void withTheDropPolicyASlowClientLosesMessagesButStaysConnected() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        CompletableFuture<Boolean> openAfterFlood = new CompletableFuture<>();
        int port = start(c -> c.webSocketMaxQueuedBytes(64 * 1024).webSocketOverflow(CovetConfig.WebSocketOverflow.DROP),
                ws -> ws.onOpen(session -> {
                    flood(session, refused);
                    openAfterFlood.complete(session.isOpen());
                }));
        try (WsClient client = WsClient.open(port, "/ws")) {
            assertThat(openAfterFlood.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.get()).isEqualTo(10);
            assertThat(closes).isEmpty();
        }
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
