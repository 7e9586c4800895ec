package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Ranking, ratios and rendering on synthetic runs whose figures are known. */
class SummaryTest {

    static PhaseResult phase(long successes, long non2xx, double seconds) {
        PhaseRecorder r = new PhaseRecorder();
        for (long i = 0; i < successes; i++) {
            r.record(null, 1_000_000L + i, i);
        }
        for (long i = 0; i < non2xx; i++) {
            r.record(ErrorKind.NON_2XX, 2_000_000L, i);
        }
        r.sent = successes + non2xx;
        LoadSpec spec = new LoadSpec("127.0.0.1", 1, Scenario.json(), 1, 1, 0, java.time.Duration.ofSeconds(1), 1);
        return PhaseResult.of("measure", spec, 0, (long) (seconds * 1e9), r);
    }

    static RunResult run(String target, int repeat, long successes, long non2xx, Double cpuSeconds) {
        PhaseResult m = phase(successes, non2xx, 1.0);
        ServerCost cost = new ServerCost(cpuSeconds, cpuSeconds == null ? null : cpuSeconds / (successes / 1000.0),
                cpuSeconds == null ? null : successes / cpuSeconds, cpuSeconds, cpuSeconds == null ? "cannot read /proc/1/stat" : null,
                100_000L, 90_000L, 1000L * successes, 1000.0, 0L, 0L, Map.of(), 0.0, null);
        Readiness ready = new Readiness(true, 500.0, 1000L, 3, 2, Map.of(), List.of(), null);
        boolean errors = non2xx > 0;
        return new RunResult(repeat, "json", target, repeat, "2026-01-01T00:00:00Z", errors ? "errors" : "ok", errors, null, List.of("java"),
                "taskset -c 1", 1, 1, "logs/x.log", null, "epoll", new Warmup(ready, 1000L, null, false), m, cost,
                new ClientCost(0.5, 0.5, 0.0, 1, false), new Contention(1.0, 0.0, 0.5, 0.0, null, 0.0, 1.0, 1.0), null, "not a JVM target",
                143, "SIGTERM", List.of(), null, null);
    }

    static RunResult failedRun(String target, int repeat) {
        return new RunResult(repeat, "json", target, repeat, "2026-01-01T00:00:00Z", "failed", true, "process exited with code 1",
                List.of("java"), "taskset -c 1", 1, 1, "logs/y.log", null, null, null, null, null, null, null, null, null, 1,
                "exited by itself", List.of(), null, null);
    }

    @Test
    void ranksByRequestsPerServerCpuSecondAndComputesRatiosOfMedians() {
        List<RunResult> runs = new ArrayList<>();
        // "fast" serves more req/s but spends more CPU per request than "lean".
        for (int r = 1; r <= 3; r++) {
            runs.add(run("fast", r, 3000, 0, 1.0));          // 3,000 req per CPU-s
            runs.add(run("lean", r, 2000, 0, 0.5));          // 4,000 req per CPU-s
            runs.add(run("broken", r, 1000, 100, null));     // CPU unavailable, errors
        }
        runs.add(failedRun("gone", 1));
        Summary s = Summary.of(List.of("json"), List.of("fast", "lean", "broken", "gone"), "fast", runs);
        List<Summary.TargetSummary> rank = s.scenarios().get(0).ranking();

        assertThat(rank).extracting(Summary.TargetSummary::target).containsExactly("lean", "fast", "broken", "gone");
        Summary.TargetSummary lean = rank.get(0);
        assertThat(lean.rank()).isEqualTo(1);
        assertThat(lean.requestsPerCpuSecond().median()).isCloseTo(4000, within(1e-6));
        assertThat(lean.ratioRequestsPerCpuSecond()).isCloseTo(4000.0 / 3000, within(1e-9));
        assertThat(lean.ratioRps()).isCloseTo(2000.0 / 3000, within(1e-9));
        assertThat(lean.requestsPerCpuSecond().ciLow()).as("identical repeats: a zero-width interval")
                .isCloseTo(4000, within(1e-6));

        Summary.TargetSummary broken = rank.get(2);
        assertThat(broken.requestsPerCpuSecond()).isNull();
        assertThat(broken.errors()).isTrue();
        assertThat(broken.measureErrors()).isEqualTo(300);
        assertThat(broken.errorsByKind().get("non-2xx")).isEqualTo(300);
        assertThat(broken.unavailable()).contains("server CPU: cannot read /proc/1/stat");

        Summary.TargetSummary gone = rank.get(3);
        assertThat(gone.measuredRuns()).isZero();
        assertThat(gone.unavailable()).anyMatch(u -> u.contains("process exited with code 1"));
    }

    @Test
    void reportsShowErrorsSkippedTargetsAndMissingBaseline() {
        List<RunResult> runs = List.of(run("a", 1, 1000, 10, 0.5), run("b", 1, 1000, 0, 0.25));
        Summary s = Summary.of(List.of("json"), List.of("a", "b"), "netty", runs);
        assertThat(s.scenarios().get(0).baselineNote()).isEqualTo("baseline 'netty' was not run");
        assertThat(s.scenarios().get(0).ranking().get(0).ratioRps()).isNull();

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("targets", List.of("a", "b"));
        settings.put("jvmArgs", List.of("-Xmx512m"));
        Map<String, Object> harness = new LinkedHashMap<>();
        harness.put("clientPinning", "taskset -a -p -c 0");
        harness.put("serverPinning", "taskset -c 1");
        harness.put("clientTransport", "epoll");
        Results res = new Results(Results.SCHEMA, "t0", "t1", List.of("bench"), List.of(), "/", true, harness,
                new MachineInfo("cpu", 2, "0-1", true, "6.x", "Linux amd64", 1024L, 100, "25", "vm", List.of()), settings,
                List.of(new BenchPlan.Skipped("vertx", "not built: run mvn package (missing bench-peers/vertx/target/classes)")), s, runs);
        String md = MarkdownSummary.render(res);
        assertThat(md).contains("ERRORS").contains("`vertx`: not built: run mvn package").contains("non-2xx 10")
                .contains("baseline 'netty' was not run");
        String html = HtmlReport.render(res);
        assertThat(html).contains("<svg").contains("not built: run mvn package").doesNotContainIgnoringCase("<script");
        Histogram h = LatencySummary.decode(runs.get(0).measure().latency().histogram());
        assertThat(h.getTotalCount()).isEqualTo(1010);
    }
}
