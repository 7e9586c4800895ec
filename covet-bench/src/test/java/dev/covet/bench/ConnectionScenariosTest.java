package dev.covet.bench;

import static dev.covet.bench.LoadGeneratorTest.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The connection scenarios' code paths at a small size (a few hundred connections, a second or
 * two): the ramp, source addresses, fixed-rate requests on many connections, WebSocket echo, a
 * broadcast room, idle WebSockets, and the accounting of connections that fail.
 */
class ConnectionScenariosTest {
    private static final PrintStream LOG = System.err;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static LoadSpec spec(int port, Scenario s, int connections, int depth, double rate) {
        return new LoadSpec("127.0.0.1", port, s, connections, depth, rate, TIMEOUT, 1, LoadSpec.Parser.COVET);
    }

    private static ConnectOptions twoSourceAddresses() throws Exception {
        return new ConnectOptions(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")), Duration.ofMillis(100));
    }

    @Test
    void manyKeepAliveConnectionsOpenAtTheRampRateAndEachSendsOnItsSchedule() throws Exception {
        try (RawNettyServer server = RawNettyServer.plain();
                LoadGenerator gen = new LoadGenerator(spec(server.port(), ConnectionScenarios.connections(), 200, 1, 200), LOG,
                        twoSourceAddresses())) {
            long t0 = System.nanoTime();
            LoadGenerator.Ramp ramp = gen.ramp(1000);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("200 connections at 1,000/s take about 0.2 s")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(190));
            assertThat(ramp.established()).isEqualTo(200);
            assertThat(ramp.attempts()).isEqualTo(200);
            assertThat(ramp.failed()).isZero();
            assertThat(server.allRequests.get()).as("the ramp sends nothing").isZero();

            PhaseResult r = gen.runPhase("measure", Duration.ofSeconds(2));
            // 200 connections, one request per second each, for 2 s.
            assertThat(r.requests()).isBetween(380L, 400L);
            assertThat(r.successes()).isEqualTo(r.requests());
            assertThat(r.unsent()).isZero();
            assertThat(r.connectAttempts()).as("no reconnects: the ramp opened them").isZero();
            assertBalanced(r);
            assertThat(gen.openConnections()).isEqualTo(200);
        }
    }

    @Test
    void connectionsAreSpreadOverTheSourceAddresses() throws Exception {
        try (RawWebSocketServer server = new RawWebSocketServer();
                LoadGenerator gen = new LoadGenerator(spec(server.port(), ConnectionScenarios.wsIdle(), 10, 1, 0), LOG, twoSourceAddresses())) {
            assertThat(gen.ramp(1000).established()).isEqualTo(10);
            assertThat(server.remoteAddresses).containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2");
        }
    }

    @Test
    void aRefusedConnectionIsCountedAsFailedWithItsCause() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (LoadGenerator gen = new LoadGenerator(spec(port, ConnectionScenarios.connections(), 50, 1, 50), LOG,
                new ConnectOptions(List.of(), Duration.ofSeconds(1)))) {
            LoadGenerator.Ramp ramp = gen.ramp(5000);
            assertThat(ramp.established()).isZero();
            assertThat(ramp.failed()).isEqualTo(50);
            assertThat(ramp.unresolved()).isZero();
            assertThat(ramp.failures().get("connect")).anyMatch(m -> m.toLowerCase().contains("refused"));
        }
    }

    @Test
    void aConnectionTheServerClosesAtOnceIsNotCountedAsOpenAndIsRetriedWithBackoff() throws Exception {
        // A server over its connection limit accepts, answers 503 and closes (Covet's demo does so above 10,000).
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try (java.net.Socket s = server.accept()) {
                        s.getOutputStream().write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (java.io.IOException e) {
                        return; // closed by the test
                    }
                }
            });
            try (LoadGenerator gen = new LoadGenerator(spec(server.getLocalPort(), ConnectionScenarios.connections(), 20, 1, 20), LOG,
                    new ConnectOptions(List.of(), Duration.ofSeconds(1)))) {
                LoadGenerator.Ramp ramp = gen.ramp(1000);
                assertThat(ramp.established() + ramp.failed()).isEqualTo(20);
                Thread.sleep(300);
                assertThat(gen.openConnections()).as("all were closed by the server").isZero();
                PhaseResult r = gen.runPhase("measure", Duration.ofSeconds(1));
                assertThat(r.successes()).isZero();
                assertThat(r.errorsFlag()).isTrue();
                assertThat(r.connectAttempts()).as("reconnects back off (1, 2, 4… ms, capped at 1 s), no storm").isLessThan(20L * 12);
                assertBalanced(r);
            }
            server.close();
            acceptor.join(2000);
        }
    }

    @Test
    void webSocketEchoAtAFixedRateMatchesEveryMessage() throws Exception {
        try (RawWebSocketServer server = new RawWebSocketServer();
                LoadGenerator gen = new LoadGenerator(spec(server.port(), ConnectionScenarios.wsEcho(), 50, 16, 500), LOG,
                        ConnectOptions.DEFAULT)) {
            assertThat(gen.ramp(2000).established()).isEqualTo(50);
            PhaseResult r = gen.runPhase("measure", Duration.ofMillis(1500));
            assertThat(r.mode()).isEqualTo("fixed-rate");
            assertThat(r.requests()).isBetween(740L, 750L);
            assertThat(r.successes()).isEqualTo(r.requests());
            assertThat(r.unsolicitedResponses()).isZero();
            assertBalanced(r);
        }
    }

    @Test
    void broadcastLatencyRunsUntilTheLastReceiverAndEveryReceiptIsCounted() throws Exception {
        int receivers = 20;
        try (RawWebSocketServer server = new RawWebSocketServer();
                LoadGenerator gen = new LoadGenerator(spec(server.port(), ConnectionScenarios.wsBroadcast(), receivers + 1, 64, 50), LOG,
                        ConnectOptions.DEFAULT)) {
            LoadGenerator.Ramp ramp = gen.ramp(2000);
            assertThat(ramp.established()).isEqualTo(receivers + 1);
            PhaseResult r = gen.runPhase("measure", Duration.ofSeconds(1));
            BroadcastTracker.Deliveries d = gen.deliveries();
            assertThat(r.requests()).isBetween(49L, 50L);
            assertThat(r.successes()).isEqualTo(r.requests());
            assertBalanced(r);
            assertThat(d.receivers()).isEqualTo(receivers);
            assertThat(d.deliveries()).isEqualTo(r.successes() * receivers);
            assertThat(d.late()).isZero();
            assertThat(d.latency().p99Us()).as("a receipt cannot come after the last receipt of its message")
                    .isLessThanOrEqualTo(r.latency().maxUs());
        }
    }

    @Test
    void idleWebSocketsStayOpenAndSendNothing() throws Exception {
        try (RawWebSocketServer server = new RawWebSocketServer();
                LoadGenerator gen = new LoadGenerator(spec(server.port(), ConnectionScenarios.wsIdle(), 50, 1, 0), LOG, ConnectOptions.DEFAULT)) {
            assertThat(gen.ramp(5000).established()).isEqualTo(50);
            PhaseResult r = gen.runPhase("measure", Duration.ofMillis(500));
            assertThat(r.requests()).isZero();
            assertThat(r.errorsFlag()).isFalse();
            assertThat(gen.openConnections()).isEqualTo(50);
        }
    }

    @Test
    void aRefusedUpgradeIsAFailedConnectionAndTheProbeCallsItNotImplemented() throws Exception {
        Scenario missing = new Scenario("ws-missing", "no such endpoint", "GET", "/nope", Map.of(), new byte[0],
                ResponseCheck.exact(101, new byte[0]), false, Workload.WS_ECHO.protocol());
        try (RawWebSocketServer server = new RawWebSocketServer();
                LoadGenerator gen = new LoadGenerator(spec(server.port(), missing, 5, 1, 10), LOG, ConnectOptions.DEFAULT)) {
            LoadGenerator.Ramp ramp = gen.ramp(1000);
            assertThat(ramp.established()).isZero();
            assertThat(ramp.failed()).isEqualTo(5);
            assertThat(ramp.failures().get("connect")).anyMatch(m -> m.contains("404"));
            int status = UpgradeProbe.status("127.0.0.1", server.port(), "/nope", 2000);
            assertThat(status).isEqualTo(404);
            assertThat(UpgradeProbe.notImplemented(status)).isTrue();
            assertThat(UpgradeProbe.status("127.0.0.1", server.port(), "/ws/echo", 2000)).isEqualTo(101);
        }
    }
}
