package dev.covet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The login-isolation scenario's own figures, one row per run, as plain cells that summary.md and report.html both
 * render: the logins (throughput, cost, latency, failures by kind and status), then the probe alone and under the
 * flood, with the ratio that is the isolation figure.
 */
final class LoginTable {
    static final List<String> LOGIN_HEADER = List.of("#", "target", "logins/s", "logins / server CPU-s", "server CPU",
            "login p50 / p99 / max ms", "failed logins", "wrong password", "unknown account");
    static final List<String> PROBE_HEADER = List.of("#", "target", "probe", "due", "answered ok", "unsent", "failed",
            "p50 ms", "p99 ms", "p99.9 ms", "max ms", "server CPU");

    private LoginTable() {
    }

    /** Rows of the logins table, for the runs that have login figures, in run order. */
    static List<List<String>> loginRows(List<RunResult> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            if (r.login() == null) {
                continue;
            }
            PhaseResult m = r.measure();
            LoginIsolationResult l = r.login();
            rows.add(List.of(Integer.toString(r.sequence()), r.target(), Figures.number(m.rps()),
                    Figures.number(r.server().requestsPerCpuSecond()), Figures.percent(r.server().cpuUtilisation()),
                    Figures.ms(m.latency().p50Us()) + " / " + Figures.ms(m.latency().p99Us()) + " / " + Figures.ms(m.latency().maxUs()), failures(m),
                    attempts(l.wrongPassword()), attempts(l.unknownAccount())));
        }
        return rows;
    }

    /** Rows of the probe table: two per run (alone, under the logins) and a third with the ratios. */
    static List<List<String>> probeRows(List<RunResult> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            LoginIsolationResult l = r.login();
            if (l == null) {
                continue;
            }
            rows.add(probe(r, "alone", l.probeAlone(), l.probeAloneServerCpu()));
            rows.add(probe(r, "under logins", l.probeUnderLogins(), r.server().cpuUtilisation()));
            rows.add(List.of(Integer.toString(r.sequence()), r.target(), "× alone", "", "", "", "", Figures.ratio(l.probeP50Ratio()),
                    Figures.ratio(l.probeP99Ratio()), Figures.ratio(l.probeP999Ratio()), Figures.ratio(l.probeMaxRatio()), ""));
        }
        return rows;
    }

    private static List<String> probe(RunResult r, String label, PhaseResult p, Double cpu) {
        LatencySummary l = p.latency();
        return List.of(Integer.toString(r.sequence()), r.target(), label, Figures.count(p.requests() + p.unsent()), Figures.count(p.successes()),
                Figures.count(p.unsent()), failures(p), Figures.ms(l.p50Us()), Figures.ms(l.p99Us()), Figures.ms(l.p999Us()), Figures.ms(l.maxUs()), Figures.percent(cpu));
    }

    /** What a reader must know about each run's login figures. */
    static List<String> notes(List<RunResult> runs) {
        List<String> out = new ArrayList<>();
        for (RunResult r : runs) {
            LoginIsolationResult l = r.login();
            if (l == null) {
                continue;
            }
            LoginSettings s = l.settings();
            out.add(String.format(Locale.ROOT, "run %d (%s): %d login connection(s), %d wrong-password and %d unknown-account"
                    + " connection(s), probe GET /json at %s/s over %d connection(s); login limit raised to %,d per 15 min", r.sequence(),
                    r.target(), s.connections(), s.failureConnections(), s.failureConnections(), Figures.number(s.probeRate()),
                    s.probeConnections(), l.loginLimit()));
            l.notes().forEach(n -> out.add("run " + r.sequence() + " (" + r.target() + "): " + n));
        }
        return out;
    }

    /** {@code 0}, or the count with its kinds and, for wrong answers, their statuses: {@code 12 (non-2xx 12; 429 ×12)}. */
    static String failures(PhaseResult p) {
        if (p.errorCount() == 0) {
            return "0";
        }
        String kinds = p.errors().entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        String statuses = p.failedStatuses().entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining(", "));
        return Figures.count(p.errorCount()) + " (" + kinds + (statuses.isEmpty() ? "" : "; " + statuses) + ")";
    }

    private static String attempts(PhaseResult p) {
        if (p == null) {
            return "none made";
        }
        return Figures.count(p.successes()) + " of " + Figures.count(p.requests()) + " answered 401, p99 " + Figures.ms(p.latency().p99Us()) + " ms"
                + (p.errorCount() > 0 ? ", failed " + failures(p) : "");
    }
}
