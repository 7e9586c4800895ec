package dev.covet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether an app is ready for all of its routes: it listens and every {@link StartupTask} is ready.
 * Returned by {@link Covet#readiness()}; a readiness probe answers 200 when {@link #ready()} and 503
 * otherwise.
 *
 * @param listening whether the server accepts connections
 * @param tasks     the state of each startup task, in the order they were added
 */
public record Readiness(boolean listening, List<StartupTask.Status> tasks) {

    public Readiness {
        tasks = List.copyOf(tasks);
    }

    /** Listening, with every startup task ready. */
    public boolean ready() {
        return listening && tasks.stream().allMatch(t -> t.state() == StartupTask.State.READY);
    }

    /** Some startup task failed: the app will not become ready without a restart. */
    public boolean failed() {
        return tasks.stream().anyMatch(t -> t.state() == StartupTask.State.FAILED);
    }

    /** Answers a readiness probe; see {@link Covet#readinessHandler()}. */
    void respond(Context ctx) {
        List<Map<String, Object>> states = tasks.stream().map(Readiness::describe).toList();
        if (ready()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ready", true);
            body.put("tasks", states);
            ctx.json(body);
            return;
        }
        boolean failed = failed();
        Problem problem = new Problem(failed ? Problems.STARTUP_FAILED : Problems.STARTING, "Service Unavailable", 503,
                failed ? "A startup task failed; the server log has the cause" : "Still starting; retry shortly",
                null, List.of(), Map.of("tasks", states));
        throw new ProblemException(problem, failed ? Map.of()
                : Map.of("Retry-After", String.valueOf(StartupTask.RETRY_AFTER_SECONDS)));
    }

    private static Map<String, Object> describe(StartupTask.Status task) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("name", task.name());
        state.put("state", task.state().name());
        state.put("elapsedMs", task.elapsed().toMillis());
        return state;
    }
}
