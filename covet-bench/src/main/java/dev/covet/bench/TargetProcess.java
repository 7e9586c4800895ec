package dev.covet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A running target: started with {@code PORT} and {@code COVET_PORT} set, its stdout and stderr
 * in one log file, and stopped by its PID: SIGTERM, then SIGKILL after a deadline. Targets still
 * alive when the harness JVM exits (Ctrl-C, a crash of the harness) are killed by a shutdown hook.
 */
final class TargetProcess implements AutoCloseable {
    private static final Set<TargetProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (TargetProcess p : LIVE) {
                p.process.destroyForcibly();
            }
        }, "covet-bench-target-reaper"));
    }

    private final Process process;
    private final long startNanos;
    private final Path log;
    private final List<ProcessHandle> descendants = new ArrayList<>();
    private Stopped stopped;

    /**
     * How the process ended.
     *
     * @param exitCode    its exit status (143 = ended by SIGTERM, 137 = by SIGKILL), or null if it could not be reaped
     * @param stoppedWith "SIGTERM", "SIGKILL", or "exited by itself" if it was gone before the harness stopped it
     * @param seconds     time from the stop request until the process was gone
     */
    record Stopped(Integer exitCode, String stoppedWith, double seconds) {
    }

    private TargetProcess(Process process, long startNanos, Path log) {
        this.process = process;
        this.startNanos = startNanos;
        this.log = log;
    }

    /** Starts {@code command} in {@code workDir} with the port variables and {@code env} set. */
    static TargetProcess start(List<String> command, Map<String, String> env, int port, Path workDir, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("COVET_PORT", Integer.toString(port));
        long t0 = System.nanoTime();
        Process p = pb.start();
        TargetProcess tp = new TargetProcess(p, t0, log);
        LIVE.add(tp);
        return tp;
    }

    long pid() {
        return process.pid();
    }

    /** {@link System#nanoTime()} just before the process was started. */
    long startNanos() {
        return startNanos;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Exit code if the process has ended, else null. */
    Integer exitCodeIfEnded() {
        return process.isAlive() ? null : process.exitValue();
    }

    Path log() {
        return log;
    }

    /** Stops the process: SIGTERM, wait up to {@code grace}, then SIGKILL. Idempotent. */
    Stopped stop(Duration grace) {
        if (stopped != null) {
            return stopped;
        }
        long t0 = System.nanoTime();
        String how;
        if (!process.isAlive()) {
            how = "exited by itself";
        } else {
            process.descendants().forEach(descendants::add);
            process.destroy(); // SIGTERM
            how = "SIGTERM";
            if (!waitFor(grace)) {
                process.destroyForcibly(); // SIGKILL
                how = "SIGKILL";
                waitFor(Duration.ofSeconds(10));
            }
        }
        for (ProcessHandle d : descendants) {
            d.destroyForcibly();
        }
        Integer code = process.isAlive() ? null : process.exitValue();
        LIVE.remove(this);
        stopped = new Stopped(code, how, (System.nanoTime() - t0) / 1e9);
        return stopped;
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The first log line containing {@code transport=}, trimmed, or null. */
    String transportLine() {
        for (String line : logLines()) {
            if (line.contains("transport=")) {
                return line.strip();
            }
        }
        return null;
    }

    /** The last {@code n} lines of the log, for error messages. */
    String logTail(int n) {
        List<String> lines = logLines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            try {
                return List.of(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).split("\n"));
            } catch (IOException e2) {
                return Collections.emptyList();
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
