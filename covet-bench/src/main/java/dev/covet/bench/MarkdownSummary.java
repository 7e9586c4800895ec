package dev.covet.bench;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders summary.md: one ranked table per scenario, the warm-up apart, every run listed. */
final class MarkdownSummary {
    private MarkdownSummary() {
    }

    static String render(Results res) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> set = res.settings();
        md.append("# Covet benchmark, ").append(res.startedAt()).append("\n\n");
        if (res.errors()) {
            md.append("> **ERRORS: something failed in this session.** Every failure is counted below, by kind; figures of runs with")
                    .append(" errors are shown, not hidden, and marked. Read the error columns before the throughput.\n\n");
        } else {
            md.append("> **Errors: none.** Every request of every run, warm-up included, got the expected status and body.\n\n");
        }
        md.append("- Command: `").append(String.join(" ", res.commandLine())).append("`\n");
        MachineInfo m = res.machine();
        md.append("- Machine: ").append(m.cpuModel()).append(", ").append(m.logicalCpus()).append(" logical CPUs (online ")
                .append(m.onlineCpus()).append(")").append(m.hypervisor() ? ", virtual machine" : "").append(", kernel ")
                .append(m.kernel()).append(", ").append(m.memTotalMb()).append(" MiB\n");
        md.append("- Harness: ").append(m.harnessVm()).append(' ').append(m.harnessJava()).append(", load generator ")
                .append(res.harness().get("clientPinning")).append(", transport ").append(res.harness().get("clientTransport")).append('\n');
        md.append("- Targets: pinned ").append(res.harness().get("serverPinning")).append(", JVM flags `")
                .append(String.join(" ", castList(set.get("jvmArgs")))).append("`, java `").append(set.get("java")).append("`\n");
        md.append("- Load: ").append(set.get("mode")).append(", ").append(set.get("connections")).append(" connections, pipelining ")
                .append(set.get("pipeline")).append(" (pipelined scenarios only), timeout ").append(set.get("timeout")).append(", warm-up ")
                .append(set.get("warmup")).append(", measured ").append(set.get("duration")).append(", ").append(set.get("repeats"))
                .append(" repeat(s), targets interleaved\n");
        if (set.get("database") != null) {
            md.append("- Database: ").append(set.get("database")).append('\n');
        }
        if (res.harness().get("git") != null) {
            md.append("- Source: ").append(res.harness().get("git")).append('\n');
        }
        if (!res.skippedTargets().isEmpty()) {
            md.append("\n**Skipped targets** (not run, so not ranked):\n\n");
            for (BenchPlan.Skipped s : res.skippedTargets()) {
                md.append("- `").append(s.target()).append("`: ").append(s.reason()).append('\n');
            }
        }
        for (Summary.ScenarioSummary s : res.summary().scenarios()) {
            scenario(md, s, res);
        }
        connections(md, res.runs());
        logins(md, res.runs());
        runs(md, res.runs());
        md.append("\n## How to read this\n\n")
                .append("- **req / server CPU-s** ranks the targets: successful requests per CPU-second the target process consumed")
                .append(" during the measured window (utime + stime from /proc/<pid>/stat). It stays meaningful when the load")
                .append(" generator, not the server, is the bottleneck, which on a 2-core machine is often the case.\n")
                .append("- Each figure is the median over the repeats; brackets give a 95% confidence interval (")
                .append("Student t on the mean below 6 repeats, order statistics of the median from 6 on; none for 1 repeat).")
                .append(" ×baseline is the ratio of medians.\n")
                .append("- Latencies include failed requests with their elapsed time. In closed-loop mode they suffer coordinated")
                .append(" omission; compare latencies from fixed-rate runs (`--rate`).\n")
                .append("- *server CPU* is the target's CPU use over the window (100% = one core busy); *client CPU* the harness's.")
                .append(" *Others on server / client CPUs* is the share of the pinned CPUs used by other processes (from /proc/stat):")
                .append(" above 10% the run is marked disturbed.\n")
                .append("- Raw data of every run, with full histograms: `results.json`. Method: `docs/benchmarking.md`.\n");
        return md.toString();
    }

    private static void scenario(StringBuilder md, Summary.ScenarioSummary s, Results res) {
        String description = ScenarioCatalog.description(s.scenario());
        md.append("\n## ").append(s.scenario()).append("\n\n");
        if (description != null) {
            md.append(description).append(". ");
        }
        md.append("Mode: ").append(s.mode()).append(". Ranked by requests per server CPU-second (higher is better). Median [95% CI];")
                .append(" ×").append(s.baseline()).append(" = ratio to the baseline's median");
        md.append(s.baselineNote() != null ? " (" + s.baselineNote() + ")" : "").append(".\n\n");
        String b = s.baseline();
        md.append("| # | target | req / server CPU-s | ×").append(b).append(" | server CPU-s / 1k req | req/s | ×").append(b)
                .append(" | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | RSS peak MiB | alloc B/req | GC n / ms | runs |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (Summary.TargetSummary t : s.ranking()) {
            md.append("| ").append(t.rank()).append(" | ").append(t.target()).append(t.clientSaturated() ? " ¹" : "")
                    .append(t.disturbedRuns() > 0 ? " ²" : "")
                    .append(t.unsustainedRuns() > 0 ? " ³" : "")
                    .append(" | ").append(Figures.estimate(t.requestsPerCpuSecond()))
                    .append(" | ").append(Figures.ratio(t.ratioRequestsPerCpuSecond()))
                    .append(" | ").append(Figures.median(t.cpuSecondsPer1kRequests()))
                    .append(" | ").append(Figures.estimate(t.rps()))
                    .append(" | ").append(Figures.ratio(t.ratioRps()))
                    .append(" | ").append(Figures.msMedian(t.p50Us()))
                    .append(" | ").append(Figures.msMedian(t.p90Us()))
                    .append(" | ").append(Figures.msMedian(t.p99Us()))
                    .append(" | ").append(Figures.msMedian(t.p999Us()))
                    .append(" | ").append(Figures.msMedian(t.maxUs()))
                    .append(" | ").append(errors(t))
                    .append(" | ").append(Figures.median(t.rssPeakMb()))
                    .append(" | ").append(Figures.median(t.allocBytesPerRequest()))
                    .append(" | ").append(Figures.median(t.gcCount())).append(" / ").append(Figures.median(t.gcTimeMs()))
                    .append(" | ").append(t.measuredRuns()).append('/').append(t.runs()).append(" |\n");
        }
        if (!s.notImplemented().isEmpty()) {
            md.append("\nNot implemented (not measured, not ranked, not counted as errors): ")
                    .append(s.notImplemented().stream().map(t -> "`" + t + "`").collect(Collectors.joining(", "))).append(".\n");
        }
        if (s.ranking().stream().anyMatch(Summary.TargetSummary::clientSaturated)) {
            md.append("\n¹ The load generator used ≥ 90% of its CPU in at least one run: its req/s is what the client could drive,")
                    .append(" a floor for that server. Its req / server CPU-s is unaffected.\n");
        }
        if (s.ranking().stream().anyMatch(t -> t.disturbedRuns() > 0)) {
            md.append("\n² Disturbed: in at least one run other processes took more than 10% of a pinned CPU (or the hypervisor")
                    .append(" stole it). Its req/s and latencies are unreliable; see the last columns of the run list.\n");
        }
        if (s.ranking().stream().anyMatch(t -> t.unsustainedRuns() > 0)) {
            md.append("\n³ Rate not sustained: in at least one run requests fell due and were never sent (see `unsent`).")
                    .append(" Its latencies are measured from the schedule and include the backlog; its req/s is below the asked rate.\n");
        }
        md.append("\nWarm-up, reported apart and never folded into the figures above:\n\n");
        md.append("| target | time to first response ms | first request latency ms | warm-up errors |\n|---|---:|---:|---:|\n");
        for (Summary.TargetSummary t : s.ranking()) {
            md.append("| ").append(t.target()).append(" | ").append(Figures.median(t.timeToFirstResponseMs()))
                    .append(" | ").append(Figures.msMedian(t.firstRequestLatencyUs()))
                    .append(" | ").append(t.warmupErrors()).append(" |\n");
        }
        List<String> missing = s.ranking().stream().flatMap(t -> t.unavailable().stream().map(u -> "`" + t.target() + "`: " + u))
                .distinct().toList();
        if (!missing.isEmpty()) {
            md.append("\nUnavailable figures, with the reason:\n\n");
            missing.forEach(u -> md.append("- ").append(u.replace("\n", " ")).append('\n'));
        }
    }

    private static void connections(StringBuilder md, List<RunResult> runs) {
        List<List<String>> rows = ConnectionsTable.rows(runs);
        if (rows.isEmpty()) {
            return;
        }
        md.append("\n## Connections\n\nPer run of a connection scenario. *failed* counts every connection that was not open after the")
                .append(" ramp (refused, timed out, upgrade refused, never attempted). *requests ok*: successes among the requests due in")
                .append(" the measured window. Per-connection memory = (plateau − before) / connections open at the end, when the plateau is")
                .append(" read; heap after a full collection.\n\n");
        table(md, ConnectionsTable.HEADER, rows, List.of("scenario", "target"));
        notes(md, ConnectionsTable.notes(runs));
    }

    private static void logins(StringBuilder md, List<RunResult> runs) {
        List<List<String>> rows = LoginTable.loginRows(runs);
        if (rows.isEmpty()) {
            return;
        }
        md.append("\n## Login isolation\n\nPer run of `login-isolation`. The logins: a closed-loop flood of valid logins, with")
                .append(" wrong-password and unknown-account attempts beside it (each expecting 401). *failed logins* counts every")
                .append(" login that did not get its token, by kind and, for a wrong answer, by status (429 = the login limiter,")
                .append(" 503 = the hasher's queue full or the target starting). Server CPU per login includes the probe's and the")
                .append(" failed attempts' CPU.\n\n");
        table(md, LoginTable.LOGIN_HEADER, rows, List.of("target", "failed logins", "wrong password", "unknown account"));
        md.append("\nThe probe: GET /json at a fixed rate, latency from each request's scheduled send time, first alone, then in the")
                .append(" same window as the logins. *× alone* is the isolation figure: 1× means the logins cost the probe nothing.")
                .append(" Percentiles cover the requests sent; *unsent* requests fell due but never left (every probe connection was")
                .append(" waiting for an answer) and would only have been slower.\n\n");
        table(md, LoginTable.PROBE_HEADER, LoginTable.probeRows(runs), List.of("target", "probe", "failed"));
        notes(md, LoginTable.notes(runs));
    }

    /** A Markdown table; the columns named in {@code left} are left-aligned, the others (figures) right-aligned. */
    private static void table(StringBuilder md, List<String> header, List<List<String>> rows, List<String> left) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append(left.contains(h) ? "---|" : "---:|"));
        md.append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
        }
    }

    private static void notes(StringBuilder md, List<String> notes) {
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(n -> md.append("- ").append(n.replace("\n", " ")).append('\n'));
        }
    }

    private static String errors(Summary.TargetSummary t) {
        if (!t.errors()) {
            return "0";
        }
        String kinds = t.errorsByKind().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return "**" + t.measureErrors() + "**" + (kinds.isEmpty() ? "" : " (" + kinds + ")") + " ⚠";
    }

    private static void runs(StringBuilder md, List<RunResult> runs) {
        md.append("\n## Every run, in the order run\n\n");
        md.append("| # | scenario | target | repeat | outcome | req/s | req / server CPU-s | p99 ms | errors | server CPU | client CPU |"
                + " others on server / client CPUs | exit | log |\n");
        md.append("|---:|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (RunResult r : runs) {
            if (!r.started()) {
                continue;
            }
            md.append("| ").append(r.sequence()).append(" | ").append(r.scenario()).append(" | ").append(r.target()).append(" | ")
                    .append(r.repeat()).append(" | ").append(r.outcome().equals("ok") || r.notImplemented() ? r.outcome() : "**" + r.outcome() + "**").append(" | ");
            if (r.measure() != null) {
                md.append(Figures.number(r.measure().rps())).append(" | ")
                        .append(Figures.number(r.server().requestsPerCpuSecond())).append(" | ")
                        .append(Figures.ms(r.measure().latency().p99Us() == null ? null : r.measure().latency().p99Us().doubleValue()))
                        .append(" | ").append(r.measure().errorCount()).append(" | ")
                        .append(Figures.percent(r.server().cpuUtilisation())).append(" | ")
                        .append(Figures.percent(r.client().cpuUtilisation())).append(" | ")
                        .append(Figures.percent(r.contention().serverCpusByOthers())).append(" / ")
                        .append(Figures.percent(r.contention().clientCpusByOthers()))
                        .append(r.contention().clientCpusByDatabase() == null ? ""
                                : " (database " + Figures.percent(r.contention().clientCpusByDatabase()) + ")");
            } else {
                md.append("n/a | n/a | n/a | n/a | n/a | n/a | n/a");
            }
            md.append(" | ").append(r.stoppedWith() == null ? "n/a" : r.exitCode() + " (" + r.stoppedWith() + ")").append(" | ")
                    .append(r.logFile() == null ? "" : "[log](" + r.logFile() + ")").append(" |\n");
        }
        for (RunResult r : runs) {
            if (r.started() && (r.failure() != null || !r.notes().isEmpty())) {
                md.append("\n- run ").append(r.sequence()).append(" (").append(r.scenario()).append(" · ").append(r.target()).append("): ");
                if (r.failure() != null) {
                    md.append("**failed**: ").append(r.failure().replace("\n", " ⏎ "));
                }
                md.append(String.join("; ", r.notes()));
            }
        }
        md.append('\n');
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return o instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(o));
    }
}
