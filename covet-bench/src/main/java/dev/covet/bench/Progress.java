package dev.covet.bench;

import java.io.PrintStream;
import java.util.Locale;

/** One line per step on stderr, each stamped with the time since the session began. */
final class Progress {
    private final PrintStream out;
    private final long t0 = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    PrintStream stream() {
        return out;
    }

    void line(String format, Object... args) {
        double s = (System.nanoTime() - t0) / 1e9;
        out.println(String.format(Locale.ROOT, "covet-bench [%7.1fs] ", s) + String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
