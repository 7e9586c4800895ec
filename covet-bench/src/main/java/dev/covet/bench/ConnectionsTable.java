package dev.covet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The connection scenarios' own figures, one row per run, as plain cells that summary.md and
 * report.html both render: connections asked, open and failed, the requests' success rate and
 * latency meanwhile, the server's CPU, its memory before and at the plateau and per connection,
 * and for a broadcast room the latency of every receipt.
 */
final class ConnectionsTable {
    static final List<String> HEADER = List.of("#", "scenario", "target", "asked", "open after ramp", "failed", "open at end",
            "ramp s", "source addresses", "requests ok", "p50 ms", "p99 ms", "max ms", "server CPU", "RSS before → plateau MiB",
            "RSS B / conn", "heap B / conn", "receipts", "receipt p50 / p99 ms");

    private ConnectionsTable() {
    }

    /** Rows for the runs that have connection figures, in run order. */
    static List<List<String>> rows(List<RunResult> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            ConnectionsResult c = r.connections();
            if (c == null) {
                continue;
            }
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(r.sequence()));
            row.add(r.scenario());
            row.add(r.target());
            row.add(Figures.count(c.asked()));
            row.add(Figures.count(c.ramp().established()));
            row.add(Figures.count(c.failedConnections())
                    + (c.notAttempted() > 0 ? " (" + Figures.count(c.notAttempted()) + " not attempted)" : ""));
            row.add(Figures.count(c.openAtEnd()));
            row.add(String.format(Locale.ROOT, "%.1f", c.ramp().seconds()));
            row.add(c.sourceAddresses().isEmpty() ? "1" : Integer.toString(c.sourceAddresses().size()));
            row.add(c.requestSuccessRate() == null ? "n/a"
                    : String.format(Locale.ROOT, "%.3f%% of %s", 100 * c.requestSuccessRate(),
                            Figures.count(r.measure().requests() + r.measure().unsent())));
            LatencySummary l = r.measure().latency();
            row.add(Figures.ms(l.p50Us()));
            row.add(Figures.ms(l.p99Us()));
            row.add(Figures.ms(l.maxUs()));
            row.add(r.server().cpuUtilisation() == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * r.server().cpuUtilisation()));
            row.add(c.before() == null || c.plateau() == null ? "n/a"
                    : String.format(Locale.ROOT, "%.0f → %.0f", c.before().rssKb() / 1024.0, c.plateau().rssKb() / 1024.0));
            row.add(c.rssPerConnectionBytes() == null ? "n/a" : Figures.number(c.rssPerConnectionBytes()));
            row.add(c.heapPerConnectionBytes() == null
                    ? (c.plateau() != null && c.plateau().heapUnavailable() != null ? "n/a (" + c.plateau().heapUnavailable() + ")" : "n/a")
                    : Figures.number(c.heapPerConnectionBytes()));
            BroadcastTracker.Deliveries d = c.deliveries();
            row.add(d == null ? "n/a" : Figures.count(d.deliveries()) + " by " + Figures.count(d.receivers())
                    + String.format(Locale.ROOT, " (%,.0f/s)", d.deliveries() / r.measure().seconds())
                    + (d.late() > 0 ? ", " + Figures.count(d.late()) + " late" : ""));
            row.add(d == null ? "n/a" : Figures.ms(d.latency().p50Us()) + " / " + Figures.ms(d.latency().p99Us()));
            rows.add(row);
        }
        return rows;
    }

    /** What a reader must know about each run's connection figures: failures, limits, notes. */
    static List<String> notes(List<RunResult> runs) {
        List<String> out = new ArrayList<>();
        for (RunResult r : runs) {
            ConnectionsResult c = r.connections();
            if (c == null) {
                continue;
            }
            String head = "run " + r.sequence() + " (" + r.scenario() + " · " + r.target() + "): ";
            if (c.notAttemptedReason() != null) {
                out.add(head + Figures.count(c.notAttempted()) + " connection(s) not attempted: " + c.notAttemptedReason());
            }
            c.ramp().failures().forEach((kind, samples) -> out.add(head + "ramp " + kind + " failures, e.g. " + String.join(" | ", samples)));
            c.notes().forEach(n -> out.add(head + n));
            out.add(head + "open files: harness " + c.clientOpenFiles() + "; target " + c.serverOpenFiles());
        }
        return out;
    }
}
