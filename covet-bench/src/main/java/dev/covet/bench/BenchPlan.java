package dev.covet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a benchmark session needs, resolved from the command line.
 *
 * @param root           project root: classpaths are relative to it, and the targets run in it
 * @param resultsDir     where this session writes (a fresh {@code bench-results/<timestamp>/})
 * @param targets        targets to run, in interleaving order
 * @param skipped        targets asked for but not runnable, with the reason
 * @param scenarios      scenarios, in order
 * @param repeats        repeats of the A B C … cycle per scenario
 * @param warmup         warm-up duration per run
 * @param duration       measured duration per run
 * @param connections    connections per run
 * @param pipeline       pipelining depth of pipelined scenarios
 * @param rate           total rate for fixed-rate mode, 0 for closed loop
 * @param timeout        per-request timeout
 * @param clientThreads  event-loop threads of the load generator
 * @param parser         how the load generator parses responses
 * @param serverCpus     CPU list for targets, or "none"
 * @param clientCpus     CPU list for the harness, or "none"
 * @param java           the java binary JVM targets run on
 * @param jvmArgs        flags for every JVM target
 * @param baseline       target the ratios are relative to
 * @param readyTimeout   how long a target may take to answer its probe
 * @param stopTimeout    SIGTERM grace before SIGKILL
 * @param quick          whether this is the --quick smoke run
 * @param commandLine    the exact command line of this session
 * @param scale          sizes and rates of the connection scenarios
 */
public record BenchPlan(
        Path root,
        Path resultsDir,
        List<TargetSpec> targets,
        List<Skipped> skipped,
        List<Scenario> scenarios,
        int repeats,
        Duration warmup,
        Duration duration,
        int connections,
        int pipeline,
        double rate,
        Duration timeout,
        int clientThreads,
        LoadSpec.Parser parser,
        String serverCpus,
        String clientCpus,
        String java,
        List<String> jvmArgs,
        String baseline,
        Duration readyTimeout,
        Duration stopTimeout,
        boolean quick,
        List<String> commandLine,
        ScaleSettings scale) {

    /**
     * A target that was asked for but not run.
     *
     * @param target the name
     * @param reason why, e.g. "not built: run mvn package (missing …)"
     */
    public record Skipped(String target, String reason) {
    }

    /** Number of runs this plan makes. */
    public int runCount() {
        return scenarios.size() * repeats * targets.size();
    }
}
