package dev.covet.bench;

import java.util.List;

/**
 * One run: one target, one scenario, one repeat, in its own freshly started process.
 *
 * @param sequence        position in the interleaved order (1-based)
 * @param scenario        scenario name
 * @param target          target name
 * @param repeat          which repeat (1-based)
 * @param startedAt       wall-clock start, ISO-8601
 * @param outcome         "ok", "errors" (completed, but something failed), "failed" (no measurement), or
 *                        {@value #NOT_IMPLEMENTED} (the target does not serve the scenario: either it declares so and is
 *                        not run, sequence and repeat 0, or it was started and refused the WebSocket upgrade, 404 or 405)
 * @param errors          true if anything failed at any point of this run (start-up, warm-up, measurement, stop)
 * @param failure         why the run produced no measurement, or null
 * @param command         the exact command that started the target
 * @param serverPinning   how the target was pinned
 * @param port            port the target listened on
 * @param pid             the target's process id
 * @param logFile         the target's stdout and stderr, relative to the results directory
 * @param transportLine   the target's own "transport=" log line, or null if it printed none
 * @param clientTransport the load generator's transport ("epoll" or "nio (...)")
 * @param warmup          start-up and warm-up, with their own counts and errors
 * @param measure         the measured window, client side
 * @param server          the measured window, server side
 * @param client          the measured window's cost to the harness
 * @param contention      how busy the pinned CPUs were, and with what, during the window
 * @param jvm             the target JVM as it describes itself, or null
 * @param jvmUnavailable  why the target JVM could not be inspected, or null
 * @param exitCode        the target's exit status (143 after SIGTERM), or null
 * @param stoppedWith     "SIGTERM", "SIGKILL" or "exited by itself"
 * @param notes           anything else a reader of this run should know
 * @param connections     what a connection scenario measured beyond its requests, or null for a request scenario
 * @param login           what the login-isolation scenario measured beyond its logins (the probe, the failed logins), or null
 */
public record RunResult(
        int sequence,
        String scenario,
        String target,
        int repeat,
        String startedAt,
        String outcome,
        boolean errors,
        String failure,
        List<String> command,
        String serverPinning,
        int port,
        long pid,
        String logFile,
        String transportLine,
        String clientTransport,
        Warmup warmup,
        PhaseResult measure,
        ServerCost server,
        ClientCost client,
        Contention contention,
        JvmInfo jvm,
        String jvmUnavailable,
        Integer exitCode,
        String stoppedWith,
        List<String> notes,
        ConnectionsResult connections,
        LoginIsolationResult login) {

    /** The outcome of a scenario the target does not serve: not an error, not a measurement. */
    public static final String NOT_IMPLEMENTED = "not implemented";

    /** Whether this records a scenario the target does not serve (declared, or found by the WebSocket upgrade probe). */
    public boolean notImplemented() {
        return NOT_IMPLEMENTED.equals(outcome);
    }

    /** Whether the target was started for this record: false only for a scenario it declares it does not serve. */
    public boolean started() {
        return sequence > 0;
    }
}
