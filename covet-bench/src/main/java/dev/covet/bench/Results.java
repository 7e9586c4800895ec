package dev.covet.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything one session measured, as written to results.json.
 *
 * @param schema           format version of this file
 * @param startedAt        session start, ISO-8601
 * @param finishedAt       session end, ISO-8601
 * @param commandLine      the exact command line (JVM, its flags and the arguments)
 * @param arguments        the arguments given to the bench command
 * @param workingDirectory where the session ran
 * @param errors           true if anything failed anywhere in the session
 * @param harness          how the harness itself ran (pid, pinning, transport, source revision)
 * @param machine          the machine
 * @param settings         every setting of the session
 * @param skippedTargets   targets asked for but not run, with the reason
 * @param summary          one ranking per scenario
 * @param runs             every run, raw
 */
public record Results(
        String schema,
        String startedAt,
        String finishedAt,
        List<String> commandLine,
        List<String> arguments,
        String workingDirectory,
        boolean errors,
        Map<String, Object> harness,
        MachineInfo machine,
        Map<String, Object> settings,
        List<BenchPlan.Skipped> skippedTargets,
        Summary summary,
        List<RunResult> runs) {

    /** The current value of {@link #schema()}. */
    public static final String SCHEMA = "covet-bench/1";
}
