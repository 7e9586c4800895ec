package dev.covet.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU pinning with {@code taskset}: the server runs under {@code taskset -c <server cpus>};
 * the harness pins itself, every thread it already has and (by inheritance) every thread it
 * will start, to the client CPUs with {@code taskset -a -p -c}. The value {@code none}
 * disables pinning. Whatever happens is described in words for the results, never silently
 * skipped.
 */
final class CpuPinning {
    static final String NONE = "none";

    private CpuPinning() {
    }

    /** Checks a CPU list such as {@code 0}, {@code 1-3} or {@code 0,2}; {@code none} is allowed. */
    static String validate(String cpus) {
        if (cpus == null || cpus.equals(NONE)) {
            return NONE;
        }
        if (!cpus.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
            throw new IllegalArgumentException("not a CPU list: '" + cpus + "' (examples: 0, 1-3, 0,2, none)");
        }
        return cpus;
    }

    static boolean tasksetAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "taskset"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The prefix that pins a command to {@code cpus}. For {@code none} it widens the command to
     * every online CPU: a child inherits its parent's affinity, and the harness may have pinned
     * itself, so "not pinned" has to be said explicitly.
     */
    static List<String> prefix(String cpus) {
        if (!tasksetAvailable()) {
            return List.of();
        }
        if (cpus.equals(NONE)) {
            String online = onlineCpus();
            return online == null ? List.of() : List.of("taskset", "-c", online);
        }
        return List.of("taskset", "-c", cpus);
    }

    /** {@code /sys/devices/system/cpu/online}, e.g. {@code 0-1}, or null if unreadable. */
    static String onlineCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            return s.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*") ? s : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Describes how a server started with {@link #prefix} is pinned. */
    static String describeServer(String cpus) {
        if (cpus.equals(NONE)) {
            return "not pinned (--server-cpus none: all online CPUs)";
        }
        return tasksetAvailable() ? "taskset -c " + cpus : "NOT pinned: taskset not found on PATH";
    }

    /** Pins this process to {@code cpus}; returns what happened, and says it loudly if it failed. */
    static String pinSelf(String cpus, PrintStream log) {
        if (cpus.equals(NONE)) {
            return "not pinned (--client-cpus none)";
        }
        if (!tasksetAvailable()) {
            log.println("covet-bench: WARNING: taskset not found; the load generator is NOT pinned to CPU " + cpus);
            return "NOT pinned: taskset not found on PATH";
        }
        long pid = ProcessHandle.current().pid();
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                log.println("covet-bench: WARNING: could not pin the load generator to CPU " + cpus + ": " + out);
                return "NOT pinned: taskset failed: " + out;
            }
            return "taskset -a -p -c " + cpus + " (pid " + pid + ")";
        } catch (IOException e) {
            log.println("covet-bench: WARNING: could not pin the load generator to CPU " + cpus + ": " + e);
            return "NOT pinned: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "NOT pinned: interrupted";
        }
    }

    /** Number of CPUs in a list such as {@code 0,2-3}; 0 for {@code none}. */
    static int count(String cpus) {
        if (cpus.equals(NONE)) {
            return 0;
        }
        int n = 0;
        for (String part : cpus.split(",")) {
            String[] range = part.split("-");
            n += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        return n;
    }

    /** Whether the CPU list {@code cpus} contains {@code cpu}. */
    static boolean contains(String cpus, int cpu) {
        if (cpus.equals(NONE)) {
            return false;
        }
        for (String part : cpus.split(",")) {
            String[] r = part.split("-");
            int lo = Integer.parseInt(r[0]);
            int hi = r.length > 1 ? Integer.parseInt(r[1]) : lo;
            if (cpu >= lo && cpu <= hi) {
                return true;
            }
        }
        return false;
    }

    /** Whether two CPU lists share a CPU. */
    static boolean overlap(String a, String b) {
        for (int cpu = 0; cpu < 4096; cpu++) {
            if (contains(a, cpu) && contains(b, cpu)) {
                return true;
            }
        }
        return false;
    }
}
