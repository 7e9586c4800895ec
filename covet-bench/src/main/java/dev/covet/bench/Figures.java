package dev.covet.bench;

import java.util.Locale;

/** How figures are written for people (summary.md, report.html, progress lines). */
final class Figures {
    private Figures() {
    }

    /** A count or rate: grouped digits, no decimals ({@code 123,456}); small values keep some decimals. */
    static String number(Double v) {
        if (v == null) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Microseconds as milliseconds with three significant digits. */
    static String ms(Double us) {
        if (us == null) {
            return "n/a";
        }
        double m = us / 1000;
        if (m >= 100) {
            return String.format(Locale.ROOT, "%,.0f", m);
        }
        return String.format(Locale.ROOT, "%.3g", m);
    }

    /** Microseconds (null: n/a) as milliseconds, as {@link #ms(Double)}. */
    static String ms(Long us) {
        return ms(us == null ? null : us.doubleValue());
    }

    /** A count with grouped digits: {@code 12,345}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A share (1.0 = 100%) as a whole percentage, or n/a. */
    static String percent(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    /** A ratio such as {@code 1.23×}. */
    static String ratio(Double r) {
        return r == null ? "n/a" : String.format(Locale.ROOT, "%.2f×", r);
    }

    /** Median with its interval: {@code 12,345 [11,000–13,700]}, or just the median when there is no interval. */
    static String estimate(Estimate e) {
        if (e == null) {
            return "n/a";
        }
        if (e.ciLow() == null) {
            return number(e.median());
        }
        return number(e.median()) + " [" + number(e.ciLow()) + "–" + number(e.ciHigh()) + "]";
    }

    /** Median of a latency estimate in ms. */
    static String msMedian(Estimate e) {
        return e == null ? "n/a" : ms(e.median());
    }

    /** Median only. */
    static String median(Estimate e) {
        return e == null ? "n/a" : number(e.median());
    }

    static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
