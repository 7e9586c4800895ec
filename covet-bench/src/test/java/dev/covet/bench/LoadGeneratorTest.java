package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoadGeneratorTest {
    private static final PrintStream LOG = System.err;

    static LoadSpec spec(int port, Scenario s, int connections, int depth, double rate) {
        return spec(port, s, connections, depth, rate, LoadSpec.Parser.COVET);
    }

    static LoadSpec spec(int port, Scenario s, int connections, int depth, double rate, LoadSpec.Parser parser) {
        return new LoadSpec("127.0.0.1", port, s, connections, depth, rate, Duration.ofSeconds(2), 1, parser);
    }

    static void assertBalanced(PhaseResult r) {
        assertThat(r.successes() + r.errorCount()).as("successes + errors = requests").isEqualTo(r.requests());
        assertThat(r.latency().count()).as("every settled request is in the histogram").isEqualTo(r.requests());
    }

    @ParameterizedTest
    @EnumSource(LoadSpec.Parser.class)
    void closedLoopCountsEveryRequestOfEveryScenario(LoadSpec.Parser parser) throws Exception {
        try (RawNettyServer server = RawNettyServer.plain()) {
            for (Scenario s : Scenario.builtIn().values()) {
                if (Workload.of(s) != Workload.REQUESTS) {
                    continue; // the connection scenarios have their own test (ConnectionScenariosTest)
                }
                try (LoadGenerator gen = new LoadGenerator(spec(server.port(), s, 4, s.depth(8), 0, parser), LOG)) {
                    PhaseResult warm = gen.runPhase("warmup", Duration.ofMillis(300));
                    PhaseResult r = gen.runPhase("measure", Duration.ofMillis(500));
                    for (PhaseResult p : new PhaseResult[] {warm, r}) {
                        assertThat(p.errorsFlag()).as(s.name() + " " + p.errors() + " " + p.errorSamples()).isFalse();
                        assertThat(p.successes()).isPositive();
                        assertBalanced(p);
                    }
                    assertThat(warm.connectAttempts()).isEqualTo(4);
                    assertThat(r.connectAttempts()).as("measurement reuses the warm-up connections").isZero();
                    assertThat(r.latency().p50Us()).isLessThanOrEqualTo(r.latency().p99Us());
                    assertThat(gen.transport()).isEqualTo("epoll");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LoadSpec.Parser.class)
    void wrongBodyIsCountedNotAccepted(LoadSpec.Parser parser) throws Exception {
        Scenario wrong = new Scenario("plaintext-wrong", "expects a different body", "GET", "/plaintext",
                java.util.Map.of(), new byte[0], ResponseCheck.exact(200, "Hello, World?".getBytes()), false, "http/1.1");
        try (RawNettyServer server = RawNettyServer.plain();
                LoadGenerator gen = new LoadGenerator(spec(server.port(), wrong, 2, 1, 0, parser), LOG)) {
            PhaseResult r = gen.runPhase("measure", Duration.ofMillis(300));
            assertThat(r.successes()).isZero();
            assertThat(r.errors().get("wrong-body")).isEqualTo(r.requests()).isPositive();
            assertThat(r.errorsFlag()).isTrue();
            assertBalanced(r);
        }
    }

    @Test
    void nothingListeningGivesConnectErrorsAndEndsOnTime() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        try (LoadGenerator gen = new LoadGenerator(spec(port, Scenario.json(), 3, 1, 0), LOG)) {
            PhaseResult r = gen.runPhase("measure", Duration.ofMillis(500));
            assertThat(r.successes()).isZero();
            assertThat(r.errors().get("connect")).isPositive().isEqualTo(r.requests());
            assertThat(r.reconnects()).isPositive();
            assertThat(r.errorSamples().get("connect")).isNotEmpty();
            assertBalanced(r);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    }
}
