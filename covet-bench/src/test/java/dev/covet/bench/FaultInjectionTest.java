package dev.covet.bench;

import static dev.covet.bench.LoadGeneratorTest.assertBalanced;
import static dev.covet.bench.LoadGeneratorTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Faults injected on the server side must show up in the result, each counted once. */
class FaultInjectionTest {

    @ParameterizedTest
    @EnumSource(LoadSpec.Parser.class)
    void everyTenthRequestFailingIsExactlyTheNon2xxCountAndIsInTheLatencies(LoadSpec.Parser parser) throws Exception {
        try (RawNettyServer server = new RawNettyServer(0, 1, 10, -1, 0);
                LoadGenerator gen = new LoadGenerator(spec(server.port(), Scenario.plaintext(), 4, 4, 0, parser), System.err)) {
            PhaseResult warm = gen.runPhase("warmup", Duration.ofMillis(300));
            PhaseResult measure = gen.runPhase("measure", Duration.ofMillis(700));

            assertThat(warm.errors().get("non-2xx") + measure.errors().get("non-2xx"))
                    .as("non-2xx seen by the client = 500s sent by the server")
                    .isEqualTo(server.failures.get())
                    .isPositive();
            assertThat(warm.requests() + measure.requests())
                    .as("requests counted by the client = requests served")
                    .isEqualTo(server.plaintextRequests.get());
            assertThat(server.failures.get()).isEqualTo(server.plaintextRequests.get() / 10);
            for (PhaseResult p : new PhaseResult[] {warm, measure}) {
                assertBalanced(p);
                assertThat(p.errorsFlag()).isTrue();
                assertThat(p.errorCount()).as("no other kind of error").isEqualTo(p.errors().get("non-2xx"));
                assertThat(p.latency().count()).as("failures are in the histogram").isEqualTo(p.successes() + p.errorCount());
                assertThat(p.errorSamples().get("non-2xx")).containsExactly("status 500");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LoadSpec.Parser.class)
    void targetStoppedMidRunShowsAsErrorsAndTheRunEndsOnTime(LoadSpec.Parser parser) throws Exception {
        RawNettyServer server = RawNettyServer.plain();
        Thread killer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(600);
            } catch (InterruptedException e) {
                return;
            }
            server.close();
        });
        long t0 = System.nanoTime();
        PhaseResult r;
        try (LoadGenerator gen = new LoadGenerator(spec(server.port(), Scenario.json(), 8, 1, 0, parser), System.err)) {
            r = gen.runPhase("measure", Duration.ofMillis(1500));
        } finally {
            killer.join();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).as("1.5 s phase + 2 s timeout bound").isLessThan(Duration.ofMillis(1500 + 2000 + 1500));
        assertBalanced(r);
        assertThat(r.successes()).isPositive();
        Map<String, Long> e = r.errors();
        assertThat(e.get("reset") + e.get("connect")).as("the stop is visible: " + e).isPositive();
        assertThat(e.get("connect")).as("reconnects were attempted and refused").isPositive();
        assertThat(r.reconnects()).isPositive();
        assertThat(r.errorsFlag()).isTrue();
    }
}
