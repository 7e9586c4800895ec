package dev.covet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * @param scenarioEnv    per scenario name, what it adds to a target's environment (a database URL, a secret)
 * @param writeChecks    per scenario name, how to check after a run that the target's writes reached the database
 * @param scale          sizes and rates of the connection scenarios
 * @param login          sizes and rates of the login-isolation scenario
 * @param databasePinning where the database scenarios' PostgreSQL backends run, or null if no scenario uses it
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
        Map<String, Map<String, String>> scenarioEnv,
        Map<String, WorldWriteCheck> writeChecks,
        ScaleSettings scale,
        LoginSettings login,
        DatabasePinning databasePinning) {

    /**
     * A target that was asked for but not run.
     *
     * @param target the name
     * @param reason why, e.g. "not built: run mvn package (missing …)"
     */
    public record Skipped(String target, String reason) {
    }

    /** Number of runs this plan makes: scenarios a target does not implement are not run. */
    public int runCount() {
        int pairs = 0;
        for (Scenario s : scenarios) {
            pairs += (int) targets.stream().filter(t -> t.implementsScenario(s.name())).count();
        }
        return pairs * repeats;
    }

    /** A target's environment for one scenario: its own, plus what the scenario adds. */
    public Map<String, String> environment(TargetSpec target, Scenario scenario) {
        Map<String, String> env = new java.util.LinkedHashMap<>(target.env());
        env.putAll(scenarioEnv.getOrDefault(scenario.name(), Map.of()));
        return env;
    }
}
