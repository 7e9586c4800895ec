package dev.covet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Reads a process's CPU time and memory from {@code /proc}. */
final class LinuxProc {
    private static volatile Long clockTicks;

    private LinuxProc() {
    }

    /** {@code getconf CLK_TCK}: the unit of utime and stime in {@code /proc/<pid>/stat}. */
    static long clockTicksPerSecond() {
        Long t = clockTicks;
        if (t == null) {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                p.waitFor(10, TimeUnit.SECONDS);
                t = Long.parseLong(out);
            } catch (IOException | NumberFormatException e) {
                throw new IllegalStateException("cannot run 'getconf CLK_TCK': " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running getconf", e);
            }
            clockTicks = t;
        }
        return t;
    }

    /** utime + stime of {@code pid}, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state); utime is field 14, stime field 15.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** A {@code kB} value of {@code /proc/<pid>/status}, such as VmHWM (peak RSS) or VmRSS. */
    static long statusKb(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(key + " not in /proc/" + pid + "/status");
    }

    /** Busy, steal and total ticks of the CPUs in {@code cpus} (a taskset list), from /proc/stat. */
    static long[] cpuTicks(String cpus) throws IOException {
        long busy = 0;
        long steal = 0;
        long total = 0;
        for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
            if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            int cpu = Integer.parseInt(f[0].substring(3));
            if (!CpuPinning.contains(cpus, cpu)) {
                continue;
            }
            // user nice system idle iowait irq softirq steal [guest guest_nice, already in user/nice]
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = f.length > 5 ? Long.parseLong(f[5]) : 0;
            long irq = f.length > 6 ? Long.parseLong(f[6]) : 0;
            long softirq = f.length > 7 ? Long.parseLong(f[7]) : 0;
            long st = f.length > 8 ? Long.parseLong(f[8]) : 0;
            busy += user + nice + system + irq + softirq;
            steal += st;
            total += user + nice + system + idle + iowait + irq + softirq + st;
        }
        return new long[] {busy, steal, total};
    }

    /** The 1-minute load average. */
    static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    }

    /**
     * CPU ticks (utime + stime) of each thread of {@code pid} whose name contains {@code namePart},
     * by thread id: HotSpot names its JIT threads "C1 CompilerThread0", "C2 CompilerThread1"…
     * (truncated by the kernel to 15 characters). Threads that vanish in between are missed.
     */
    static java.util.Map<Long, Long> threadTicks(long pid, String namePart) throws IOException {
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException gone) {
                    continue; // the thread ended while we listed
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.contains(namePart)) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    out.put(Long.parseLong(task.getFileName().toString()), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                }
            }
        }
        return out;
    }
}
