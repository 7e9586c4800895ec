package dev.covet.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The runs of a session reduced to one ranking per scenario: each figure as a median with its
 * confidence interval ({@link Statistics}) over the repeats, and as a ratio to the baseline.
 * Targets are ranked by requests per server CPU-second, the figure that still means something
 * when the load generator, not the server, is the bottleneck.
 *
 * @param scenarios one ranking per scenario, in plan order
 */
public record Summary(List<ScenarioSummary> scenarios) {

    /**
     * @param scenario scenario name
     * @param mode     "closed-loop" or "fixed-rate"
     * @param baseline the target ratios are relative to
     * @param baselineNote why ratios are missing, or null
     * @param ranking  targets, best first by requests per server CPU-second
     * @param notImplemented targets that do not serve this scenario: not measured, not ranked, and not errors
     */
    public record ScenarioSummary(String scenario, String mode, String baseline, String baselineNote, List<TargetSummary> ranking,
            List<String> notImplemented) {
    }

    /**
     * One target in one scenario, over its repeats.
     *
     * @param rank                     1-based position by requests per server CPU-second
     * @param target                   target name
     * @param runs                     runs made
     * @param measuredRuns             runs that produced a measurement
     * @param errors                   whether anything failed in any of its runs
     * @param measureErrors            failed requests in the measured windows, summed
     * @param errorsByKind             the same by kind
     * @param warmupErrors             failed probe and warm-up requests, summed
     * @param requestsPerCpuSecond     successful requests per server CPU-second
     * @param cpuSecondsPer1kRequests  server CPU-seconds per 1,000 successful requests
     * @param rps                      successful requests per second
     * @param p50Us                    latency percentiles, microseconds
     * @param p90Us                    -
     * @param p99Us                    -
     * @param p999Us                   -
     * @param maxUs                    -
     * @param rssPeakMb                peak resident set (VmHWM), MiB
     * @param allocBytesPerRequest     heap bytes allocated per successful request
     * @param gcCount                  collections in the window
     * @param gcTimeMs                 collection time in the window
     * @param timeToFirstResponseMs    process start to first 2xx answer
     * @param firstRequestLatencyUs    first warm-up request's latency
     * @param clientCpuUtilisation     harness CPU use over the window (1.0 = one core)
     * @param clientSaturated          whether any run's load generator was saturated
     * @param disturbedRuns            runs where other processes took more than 10% of a pinned CPU, or the hypervisor stole it
     * @param unsustainedRuns          fixed-rate runs that left requests due but unsent: the asked rate was not sustained
     * @param ratioRequestsPerCpuSecond median / baseline's median
     * @param ratioRps                 median / baseline's median
     * @param ratioP99                 median / baseline's median (lower is better)
     * @param unavailable              figures missing in some run, with the reason
     * @param latencyCurve             percentile curve of all measured requests of all repeats together
     */
    public record TargetSummary(
            int rank,
            String target,
            int runs,
            int measuredRuns,
            boolean errors,
            long measureErrors,
            Map<String, Long> errorsByKind,
            long warmupErrors,
            Estimate requestsPerCpuSecond,
            Estimate cpuSecondsPer1kRequests,
            Estimate rps,
            Estimate p50Us,
            Estimate p90Us,
            Estimate p99Us,
            Estimate p999Us,
            Estimate maxUs,
            Estimate rssPeakMb,
            Estimate allocBytesPerRequest,
            Estimate gcCount,
            Estimate gcTimeMs,
            Estimate timeToFirstResponseMs,
            Estimate firstRequestLatencyUs,
            Estimate clientCpuUtilisation,
            boolean clientSaturated,
            int disturbedRuns,
            int unsustainedRuns,
            Double ratioRequestsPerCpuSecond,
            Double ratioRps,
            Double ratioP99,
            List<String> unavailable,
            List<LatencySummary.Point> latencyCurve) {
    }

    /** Reduces {@code runs}; {@code scenarios} and {@code targets} give the order. */
    public static Summary of(List<String> scenarios, List<String> targets, String baseline, List<RunResult> runs) {
        List<ScenarioSummary> out = new ArrayList<>();
        for (String s : scenarios) {
            List<TargetSummary> rows = new ArrayList<>();
            String mode = runs.stream().filter(r -> r.scenario().equals(s) && r.measure() != null).map(r -> r.measure().mode())
                    .findFirst().orElse("closed-loop");
            List<String> notImplemented = new ArrayList<>();
            for (String t : targets) {
                List<RunResult> mine = runs.stream().filter(r -> r.scenario().equals(s) && r.target().equals(t)).toList();
                if (mine.stream().anyMatch(RunResult::notImplemented)) {
                    notImplemented.add(t);
                } else if (!mine.isEmpty()) {
                    rows.add(target(t, mine));
                }
            }
            TargetSummary base = rows.stream().filter(r -> r.target().equals(baseline)).findFirst().orElse(null);
            String note = null;
            if (base == null && notImplemented.contains(baseline)) {
                note = "baseline '" + baseline + "' does not implement this scenario";
            } else if (base == null) {
                note = "baseline '" + baseline + "' was not run";
            } else if (base.requestsPerCpuSecond() == null || base.rps() == null) {
                note = "baseline '" + baseline + "' has no measurement";
            }
            List<TargetSummary> withRatios = new ArrayList<>();
            for (TargetSummary r : rows) {
                withRatios.add(note != null ? r : withRatios(r, base));
            }
            withRatios.sort(Comparator.comparing((TargetSummary r) -> r.requestsPerCpuSecond() == null ? 1 : 0)
                    .thenComparing(r -> r.requestsPerCpuSecond() == null ? 0 : -r.requestsPerCpuSecond().median())
                    .thenComparing(r -> r.rps() == null ? 0 : -r.rps().median()));
            List<TargetSummary> ranked = new ArrayList<>();
            for (int i = 0; i < withRatios.size(); i++) {
                ranked.add(ranked(withRatios.get(i), i + 1));
            }
            out.add(new ScenarioSummary(s, mode, baseline, note, ranked, List.copyOf(notImplemented)));
        }
        return new Summary(out);
    }

    private static TargetSummary target(String t, List<RunResult> runs) {
        List<RunResult> measured = runs.stream().filter(r -> r.measure() != null).toList();
        Set<String> unavailable = new LinkedHashSet<>();
        Map<String, Long> byKind = new LinkedHashMap<>();
        long measureErrors = 0;
        long warmupErrors = 0;
        Histogram all = new Histogram(PhaseRecorder.MAX_LATENCY_US, 3);
        for (RunResult r : runs) {
            if (r.failure() != null) {
                unavailable.add("run " + r.repeat() + " failed: " + firstLine(r.failure()));
            }
            if (r.warmup() != null) {
                warmupErrors += r.warmup().readiness().errorCount();
                if (r.warmup().phase() != null) {
                    warmupErrors += r.warmup().phase().errorCount();
                }
            }
            if (r.measure() != null) {
                measureErrors += r.measure().errorCount();
                r.measure().errors().forEach((k, v) -> byKind.merge(k, v, Long::sum));
                all.add(LatencySummary.decode(r.measure().latency().histogram()));
            }
            if (r.server() != null) {
                if (r.server().cpuUnavailable() != null) {
                    unavailable.add("server CPU: " + r.server().cpuUnavailable());
                }
                if (r.server().jvmUnavailable() != null) {
                    unavailable.add("allocation/GC: " + r.server().jvmUnavailable());
                }
            }
        }
        boolean errors = runs.stream().anyMatch(RunResult::errors);
        boolean saturated = measured.stream().anyMatch(r -> r.client() != null && r.client().saturated());
        return new TargetSummary(0, t, runs.size(), measured.size(), errors, measureErrors, byKind, warmupErrors,
                est(measured, r -> r.server().requestsPerCpuSecond()),
                est(measured, r -> r.server().cpuSecondsPer1kRequests()),
                est(measured, r -> r.measure().rps()),
                est(measured, r -> toD(r.measure().latency().p50Us())),
                est(measured, r -> toD(r.measure().latency().p90Us())),
                est(measured, r -> toD(r.measure().latency().p99Us())),
                est(measured, r -> toD(r.measure().latency().p999Us())),
                est(measured, r -> toD(r.measure().latency().maxUs())),
                est(measured, r -> r.server().rssPeakKb() == null ? null : r.server().rssPeakKb() / 1024.0),
                est(measured, r -> r.server().allocatedBytesPerRequest()),
                est(measured, r -> toD(r.server().gcCount())),
                est(measured, r -> toD(r.server().gcTimeMs())),
                est(runs.stream().filter(r -> r.warmup() != null && r.warmup().readiness().ready()).toList(),
                        r -> r.warmup().readiness().timeToFirstResponseMs()),
                est(runs.stream().filter(r -> r.warmup() != null).toList(), r -> toD(r.warmup().firstRequestLatencyUs())),
                est(measured, r -> r.client().cpuUtilisation()),
                saturated, (int) measured.stream().filter(Summary::disturbed).count(),
                (int) measured.stream().filter(r -> r.measure().unsent() > 0).count(), null, null, null, List.copyOf(unavailable),
                all.getTotalCount() == 0 ? List.of() : LatencySummary.of(all).curve());
    }

    private static TargetSummary withRatios(TargetSummary r, TargetSummary base) {
        return new TargetSummary(r.rank(), r.target(), r.runs(), r.measuredRuns(), r.errors(), r.measureErrors(), r.errorsByKind(),
                r.warmupErrors(), r.requestsPerCpuSecond(), r.cpuSecondsPer1kRequests(), r.rps(), r.p50Us(), r.p90Us(), r.p99Us(),
                r.p999Us(), r.maxUs(), r.rssPeakMb(), r.allocBytesPerRequest(), r.gcCount(), r.gcTimeMs(), r.timeToFirstResponseMs(),
                r.firstRequestLatencyUs(), r.clientCpuUtilisation(), r.clientSaturated(), r.disturbedRuns(),
                r.unsustainedRuns(), ratio(r.requestsPerCpuSecond(), base.requestsPerCpuSecond()), ratio(r.rps(), base.rps()), ratio(r.p99Us(), base.p99Us()),
                r.unavailable(), r.latencyCurve());
    }

    private static TargetSummary ranked(TargetSummary r, int rank) {
        return new TargetSummary(rank, r.target(), r.runs(), r.measuredRuns(), r.errors(), r.measureErrors(), r.errorsByKind(),
                r.warmupErrors(), r.requestsPerCpuSecond(), r.cpuSecondsPer1kRequests(), r.rps(), r.p50Us(), r.p90Us(), r.p99Us(),
                r.p999Us(), r.maxUs(), r.rssPeakMb(), r.allocBytesPerRequest(), r.gcCount(), r.gcTimeMs(), r.timeToFirstResponseMs(),
                r.firstRequestLatencyUs(), r.clientCpuUtilisation(), r.clientSaturated(), r.disturbedRuns(), r.unsustainedRuns(), r.ratioRequestsPerCpuSecond(),
                r.ratioRps(),
                r.ratioP99(), r.unavailable(), r.latencyCurve());
    }

    /** Whether other processes or the hypervisor took a noticeable share of the pinned CPUs during the window. */
    static boolean disturbed(RunResult r) {
        Contention c = r.contention();
        return c != null && (over(c.serverCpusByOthers()) || over(c.clientCpusByOthers()) || over(c.steal()));
    }

    private static boolean over(Double v) {
        return v != null && v > Contention.DISTURBED;
    }

    private static Double ratio(Estimate a, Estimate b) {
        if (a == null || b == null || b.median() == 0) {
            return null;
        }
        return a.median() / b.median();
    }

    private static Estimate est(List<RunResult> runs, Function<RunResult, Double> f) {
        return Statistics.estimate(runs.stream().map(f).filter(Objects::nonNull).toList());
    }

    private static Double toD(Long v) {
        return v == null ? null : v.doubleValue();
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
