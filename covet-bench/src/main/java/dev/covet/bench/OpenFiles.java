package dev.covet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Open-file limits (RLIMIT_NOFILE) and counts of a process, read from /proc, and raised with
 * {@code prlimit(1)} for the harness itself and the targets it started. Every connection costs one
 * file descriptor on each side, so this limit, not memory, is usually the first wall a
 * connection-scale run hits. Raising the soft limit up to the hard one is always allowed; raising
 * the hard limit needs CAP_SYS_RESOURCE, and when that is refused the message says so.
 */
final class OpenFiles {
    private OpenFiles() {
    }

    /**
     * @param soft the limit in force ({@link Long#MAX_VALUE} for unlimited)
     * @param hard the ceiling the soft limit may be raised to without privilege
     */
    record Limit(long soft, long hard) {
        @Override
        public String toString() {
            return "soft " + show(soft) + ", hard " + show(hard);
        }

        private static String show(long v) {
            return v == Long.MAX_VALUE ? "unlimited" : String.format(java.util.Locale.ROOT, "%,d", v);
        }
    }

    /** The "Max open files" line of /proc/&lt;pid&gt;/limits. */
    static Limit limit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new Limit(parse(f[0]), parse(f[1]));
            }
        }
        throw new IOException("no 'Max open files' in /proc/" + pid + "/limits");
    }

    private static long parse(String v) {
        return v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v);
    }

    /** File descriptors {@code pid} has open now (entries of /proc/&lt;pid&gt;/fd). */
    static long open(long pid) throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }

    /**
     * Raises {@code pid}'s limit to at least {@code wanted} if it is below: first both limits to
     * {@code wanted}, and if that is refused, the soft limit to the hard one. Returns what happened,
     * in one line, including prlimit's own message when it refused.
     */
    static String raise(long pid, long wanted) throws IOException {
        Limit before = limit(pid);
        if (before.soft() >= wanted) {
            return "limit " + before + " already allows " + wanted;
        }
        String refused = prlimit(pid, wanted, wanted);
        if (refused == null) {
            return "raised from " + before + " to " + limit(pid);
        }
        String why = "could not raise to " + wanted + " (" + refused
                + (refused.contains("not permitted") ? "; raising the hard limit needs CAP_SYS_RESOURCE" : "") + ")";
        if (before.soft() < before.hard()) {
            String soft = prlimit(pid, before.hard(), before.hard());
            return why + (soft == null ? "; soft limit raised to the hard one: " + limit(pid) : "; raising the soft limit failed too: " + soft);
        }
        return why + "; stays at " + before;
    }

    /** Runs prlimit; null on success, else its message. */
    private static String prlimit(long pid, long soft, long hard) throws IOException {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + soft + ":" + hard)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "prlimit did not finish within 10 s";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while running prlimit";
        }
        return p.exitValue() == 0 ? null : out.isEmpty() ? "prlimit exited with " + p.exitValue() : out;
    }
}
