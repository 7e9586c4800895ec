package dev.covet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched)
 * with, per scenario, throughput bars with confidence-interval whiskers and the latency
 * percentile curve of each target.
 */
final class HtmlReport {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

    private HtmlReport() {
    }

    static String render(Results res) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Covet benchmark ").append(esc(res.startedAt()))
                .append("</title>\n<style>\n")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:13px}")
                .append("th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}")
                .append(".bad{background:#fde2e2;border:2px solid #c00;padding:.6em 1em;font-weight:600}")
                .append(".good{background:#e3f6e3;border:1px solid #5a5;padding:.6em 1em}")
                .append(".err{color:#b00;font-weight:600}code{background:#f4f4f4;padding:0 3px}svg{display:block;margin:.4em 0}")
                .append("h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}.small{font-size:12px;color:#555}")
                .append("\n</style></head><body>\n");
        h.append("<h1>Covet benchmark, ").append(esc(res.startedAt())).append("</h1>\n");
        if (res.errors()) {
            h.append("<p class=\"bad\">ERRORS: something failed in this session. Every failure is counted below by kind; figures of runs")
                    .append(" with errors are shown and marked, not hidden.</p>\n");
        } else {
            h.append("<p class=\"good\">Errors: none. Every request of every run, warm-up included, got the expected status and body.</p>\n");
        }
        MachineInfo m = res.machine();
        h.append("<p class=\"small\">Command: <code>").append(esc(String.join(" ", res.commandLine()))).append("</code><br>")
                .append("Machine: ").append(esc(m.cpuModel())).append(", ").append(m.logicalCpus()).append(" logical CPUs, kernel ")
                .append(esc(m.kernel())).append(m.hypervisor() ? ", virtual machine" : "").append("<br>Harness: ")
                .append(esc(m.harnessVm() + " " + m.harnessJava())).append(", load generator ")
                .append(esc(String.valueOf(res.harness().get("clientPinning")))).append(", targets ")
                .append(esc(String.valueOf(res.harness().get("serverPinning"))))
                .append(res.settings().get("database") != null ? "<br>Database: " + esc(String.valueOf(res.settings().get("database"))) : "")
                .append("<br>Settings: ")
                .append(esc(res.settings().toString())).append("</p>\n");
        if (!res.skippedTargets().isEmpty()) {
            h.append("<p><b>Skipped targets</b> (not run, not ranked):</p><ul>");
            for (BenchPlan.Skipped s : res.skippedTargets()) {
                h.append("<li><code>").append(esc(s.target())).append("</code>: ").append(esc(s.reason())).append("</li>");
            }
            h.append("</ul>\n");
        }
        List<String> order = new ArrayList<>();
        if (res.settings().get("targets") instanceof List<?> l) {
            l.forEach(t -> order.add(String.valueOf(t)));
        }
        for (Summary.ScenarioSummary s : res.summary().scenarios()) {
            scenario(h, s, order);
        }
        List<List<String>> connectionRows = ConnectionsTable.rows(res.runs());
        if (!connectionRows.isEmpty()) {
            h.append("<h2>Connections</h2>\n");
            table(h, ConnectionsTable.HEADER, connectionRows, ConnectionsTable.notes(res.runs()));
        }
        logins(h, res.runs());
        h.append("<h2>Every run</h2>\n<table><tr><th>#</th><th class=l>scenario</th><th class=l>target</th><th>repeat</th>")
                .append("<th class=l>outcome</th><th>req/s</th><th>req / server CPU-s</th><th>p99 ms</th><th>errors</th><th class=l>notes</th></tr>\n");
        for (RunResult r : res.runs()) {
            if (!r.started()) {
                continue;
            }
            h.append("<tr><td>").append(r.sequence()).append("</td><td class=l>").append(esc(r.scenario())).append("</td><td class=l>")
                    .append(esc(r.target())).append("</td><td>").append(r.repeat()).append("</td><td class=l")
                    .append(r.outcome().equals("ok") || r.notImplemented() ? ">" : " class=err>").append(r.outcome()).append("</td>");
            if (r.measure() != null) {
                h.append("<td>").append(Figures.number(r.measure().rps())).append("</td><td>")
                        .append(Figures.number(r.server().requestsPerCpuSecond())).append("</td><td>")
                        .append(Figures.ms(r.measure().latency().p99Us() == null ? null : r.measure().latency().p99Us().doubleValue()))
                        .append("</td><td").append(r.measure().errorCount() > 0 ? " class=err>" : ">").append(r.measure().errorCount())
                        .append("</td>");
            } else {
                h.append("<td>n/a</td><td>n/a</td><td>n/a</td><td>n/a</td>");
            }
            List<String> notes = new ArrayList<>(r.notes());
            if (r.failure() != null) {
                notes.add(0, "failed: " + r.failure());
            }
            h.append("<td class=l>").append(esc(String.join("; ", notes))).append("</td></tr>\n");
        }
        h.append("</table>\n<p class=\"small\">Ranking figure: successful requests per CPU-second of the target process over the measured")
                .append(" window (/proc/&lt;pid&gt;/stat). Medians over repeats; whiskers are 95% confidence intervals (Student t on the")
                .append(" mean below 6 repeats, order statistics of the median from 6). Latencies include failures. Raw data:")
                .append(" results.json. Method: docs/benchmarking.md.</p>\n</body></html>\n");
        return h.toString();
    }

    private static void logins(StringBuilder h, List<RunResult> runs) {
        List<List<String>> rows = LoginTable.loginRows(runs);
        if (rows.isEmpty()) {
            return;
        }
        h.append("<h2>Login isolation</h2>\n<p class=small>A closed-loop flood of valid logins (with wrong-password and")
                .append(" unknown-account attempts beside it) while GET /json runs at a fixed rate. Failed logins are counted by kind")
                .append(" and status (429 = the login limiter, 503 = the hasher's queue full). Server CPU per login includes the probe's")
                .append(" and the failed attempts' CPU.</p>\n");
        table(h, LoginTable.LOGIN_HEADER, rows, List.of());
        h.append("<h3>The probe, alone and under the logins (× alone is the isolation figure: 1× = the logins cost it nothing)</h3>\n");
        List<Series> series = new ArrayList<>();
        for (RunResult r : runs) {
            if (r.login() != null) {
                String run = "#" + r.sequence() + " " + r.target();
                series.add(new Series(run + " alone", COLORS[series.size() % COLORS.length], r.login().probeAlone().latency().curve()));
                series.add(new Series(run + " + logins", COLORS[series.size() % COLORS.length],
                        r.login().probeUnderLogins().latency().curve()));
            }
        }
        curves(h, series);
        table(h, LoginTable.PROBE_HEADER, LoginTable.probeRows(runs), LoginTable.notes(runs));
        h.append("<p class=small>Probe latency is measured from each request's scheduled send time. Percentiles cover the requests")
                .append(" sent; unsent ones fell due while every probe connection waited for an answer, and would only have been")
                .append(" slower.</p>\n");
    }

    /** A table of plain cells, then its notes as a list. */
    private static void table(StringBuilder h, List<String> header, List<List<String>> rows, List<String> notes) {
        h.append("<table><tr>");
        header.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<String> row : rows) {
            h.append("<tr>");
            row.forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        if (!notes.isEmpty()) {
            h.append("<ul class=small>");
            notes.forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            h.append("</ul>\n");
        }
    }

    /** One line of a latency chart. */
    private record Series(String label, String color, List<LatencySummary.Point> curve) {
    }

    /** One color per target, the same in every chart. */
    private static String color(String target, List<String> order) {
        int i = order.indexOf(target);
        return COLORS[Math.floorMod(i < 0 ? target.hashCode() : i, COLORS.length)];
    }

    private static void scenario(StringBuilder h, Summary.ScenarioSummary s, List<String> order) {
        h.append("<h2>").append(esc(s.scenario())).append(" <span class=small>(").append(esc(s.mode())).append(")</span></h2>\n");
        List<Summary.TargetSummary> rows = s.ranking();
        if (!s.notImplemented().isEmpty()) {
            h.append("<p>Not implemented (not measured, not ranked, not counted as errors): <code>")
                    .append(esc(String.join(", ", s.notImplemented()))).append("</code></p>\n");
        }
        h.append("<h3>Requests per server CPU-second (ranking figure; higher is better)</h3>\n");
        bars(h, rows, true, order);
        h.append("<h3>Requests per second</h3>\n");
        bars(h, rows, false, order);
        h.append("<h3>Latency by percentile (all measured requests of all repeats, failures included)</h3>\n");
        curves(h, rows.stream().map(t -> new Series(t.target(), color(t.target(), order), t.latencyCurve())).toList());
        h.append("<table><tr><th>#</th><th class=l>target</th><th>req / server CPU-s</th><th>×").append(esc(s.baseline()))
                .append("</th><th>server CPU-s / 1k req</th><th>req/s</th><th>×").append(esc(s.baseline()))
                .append("</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th>errors</th>")
                .append("<th>RSS peak MiB</th><th>alloc B/req</th><th>GC n / ms</th><th>first response ms</th><th>warm-up errors</th></tr>\n");
        for (Summary.TargetSummary t : rows) {
            h.append("<tr><td>").append(t.rank()).append("</td><td class=l>").append(esc(t.target()))
                    .append(t.clientSaturated() ? " <span title=\"load generator saturated\">¹</span>" : "")
                    .append(t.disturbedRuns() > 0 ? " <span class=err title=\"other processes took a pinned CPU\">² disturbed</span>" : "")
                    .append(t.unsustainedRuns() > 0 ? " <span class=err title=\"requests due but never sent\">³ rate not sustained</span>" : "")
                    .append("</td><td>")
                    .append(esc(Figures.estimate(t.requestsPerCpuSecond()))).append("</td><td>").append(Figures.ratio(t.ratioRequestsPerCpuSecond()))
                    .append("</td><td>").append(Figures.median(t.cpuSecondsPer1kRequests())).append("</td><td>")
                    .append(esc(Figures.estimate(t.rps()))).append("</td><td>").append(Figures.ratio(t.ratioRps())).append("</td><td>")
                    .append(Figures.msMedian(t.p50Us())).append("</td><td>").append(Figures.msMedian(t.p90Us())).append("</td><td>")
                    .append(Figures.msMedian(t.p99Us())).append("</td><td>").append(Figures.msMedian(t.p999Us())).append("</td><td>")
                    .append(Figures.msMedian(t.maxUs())).append("</td><td").append(t.errors() ? " class=err>" : ">")
                    .append(t.measureErrors()).append(errorKinds(t)).append("</td><td>").append(Figures.median(t.rssPeakMb()))
                    .append("</td><td>").append(Figures.median(t.allocBytesPerRequest())).append("</td><td>")
                    .append(Figures.median(t.gcCount())).append(" / ").append(Figures.median(t.gcTimeMs())).append("</td><td>")
                    .append(Figures.median(t.timeToFirstResponseMs())).append("</td><td").append(t.warmupErrors() > 0 ? " class=err>" : ">")
                    .append(t.warmupErrors()).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (s.baselineNote() != null) {
            h.append("<p class=small>Ratios unavailable: ").append(esc(s.baselineNote())).append(".</p>\n");
        }
        List<String> missing = rows.stream().flatMap(t -> t.unavailable().stream().map(u -> t.target() + ": " + u)).distinct().toList();
        if (!missing.isEmpty()) {
            h.append("<p class=small>Unavailable figures:</p><ul class=small>");
            missing.forEach(u -> h.append("<li>").append(esc(u)).append("</li>"));
            h.append("</ul>\n");
        }
    }

    private static String errorKinds(Summary.TargetSummary t) {
        StringBuilder sb = new StringBuilder();
        t.errorsByKind().forEach((k, v) -> {
            if (v > 0) {
                sb.append(sb.isEmpty() ? " (" : ", ").append(esc(k)).append(' ').append(v);
            }
        });
        return sb.isEmpty() ? "" : sb.append(')').toString();
    }

    /** Horizontal bars: median, with a whisker from the interval's low to high end. */
    private static void bars(StringBuilder h, List<Summary.TargetSummary> rows, boolean perCpu, List<String> order) {
        // room for the longest target name at 13 px (about 8 px a character), so none is clipped
        int label = Math.max(110, 16 + 8 * rows.stream().mapToInt(t -> t.target().length()).max().orElse(0));
        int width = 640;
        int rowH = 26;
        double max = 0;
        for (Summary.TargetSummary t : rows) {
            Estimate e = perCpu ? t.requestsPerCpuSecond() : t.rps();
            if (e != null) {
                max = Math.max(max, Math.max(e.median(), e.ciHigh() == null ? e.max() : e.ciHigh()));
            }
        }
        int height = rows.size() * rowH + 10;
        h.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\">", label + width + 130, height));
        for (int i = 0; i < rows.size(); i++) {
            Summary.TargetSummary t = rows.get(i);
            Estimate e = perCpu ? t.requestsPerCpuSecond() : t.rps();
            int y = 5 + i * rowH;
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">%s</text>", label - 8, y + 16,
                    esc(t.target())));
            if (e == null || max <= 0) {
                h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#888\">unavailable</text>", label, y + 16));
                continue;
            }
            double w = e.median() / max * width;
            h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s/>", label, y + 3, w,
                    rowH - 8, color(t.target(), order), t.errors() ? " stroke=\"#c00\" stroke-width=\"2\" stroke-dasharray=\"4 2\"" : ""));
            if (e.ciLow() != null) {
                double lo = label + Math.max(0, e.ciLow()) / max * width;
                double hi = label + e.ciHigh() / max * width;
                int cy = y + rowH / 2 - 1;
                h.append(String.format(Locale.ROOT, "<path d=\"M%.1f %dH%.1fM%.1f %dV%dM%.1f %dV%d\" stroke=\"#000\" stroke-width=\"1.5\"/>",
                        lo, cy, hi, lo, cy - 6, cy + 6, hi, cy - 6, cy + 6));
            }
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s%s</text>", label + w + 6 + (e.ciHigh() == null
                    ? 0 : Math.max(0, (e.ciHigh() - e.median()) / max * width)), y + 16, esc(Figures.number(e.median())),
                    t.errors() ? " ⚠ errors" : ""));
        }
        h.append("</svg>\n");
    }

    /** Latency percentile curves: x is log10(1 / (1 - p)), y is log10 of the latency. */
    private static void curves(StringBuilder h, List<Series> rows) {
        int left = 70;
        int top = 10;
        int w = 640;
        int ht = 300;
        double xMax = 5.3;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (Series t : rows) {
            for (LatencySummary.Point p : t.curve()) {
                double v = Math.max(1, p.us());
                yMin = Math.min(yMin, v);
                yMax = Math.max(yMax, v);
            }
        }
        if (yMax == 0) {
            h.append("<p class=small>No latency recorded.</p>\n");
            return;
        }
        double lo = Math.floor(Math.log10(yMin));
        double hi = Math.ceil(Math.log10(yMax));
        if (hi <= lo) {
            hi = lo + 1;
        }
        h.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\">", left + w + 180, top + ht + 40));
        for (double d = lo; d <= hi; d++) {
            double y = top + ht - (d - lo) / (hi - lo) * ht;
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", left, left + w, y, y));
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>", left - 5, y + 4,
                    Figures.ms(Math.pow(10, d)) + " ms"));
        }
        String[] ticks = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int i = 0; i < ticks.length; i++) {
            double x = left + (i == 0 ? 0 : i) / xMax * w;
            h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>", x, x, top, top + ht));
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>", x, top + ht + 15, ticks[i]));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">percentile (max at the right end)</text>",
                left + w / 2.0, top + ht + 32));
        for (int i = 0; i < rows.size(); i++) {
            Series t = rows.get(i);
            if (t.curve().isEmpty()) {
                continue;
            }
            StringBuilder path = new StringBuilder();
            for (LatencySummary.Point p : t.curve()) {
                double xv = p.percentile() >= 100 ? xMax : Math.min(xMax, Math.log10(1 / (1 - p.percentile() / 100)));
                double x = left + xv / xMax * w;
                double y = top + ht - (Math.log10(Math.max(1, p.us())) - lo) / (hi - lo) * ht;
                path.append(path.isEmpty() ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
            }
            String color = t.color();
            h.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"/>");
            h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", left + w + 15, top + 5 + i * 20, color));
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>", left + w + 32, top + 15 + i * 20, esc(t.label())));
        }
        h.append("</svg>\n");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
