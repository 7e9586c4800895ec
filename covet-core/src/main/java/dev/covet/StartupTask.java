package dev.covet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up work that runs in the background once the server listens, such as opening a database and
 * applying its migrations, so that the routes that do not need it answer at once. Created by
 * {@link Covet#startupTask(String, Work)}.
 *
 * <pre>{@code
 * StartupTask<Database> db = app.startupTask("database", () -> {
 *     Database d = Database.create("sqlite:data/app.db");
 *     Migrations.run(d);
 *     return d;
 * });
 * app.get("/users", ctx -> ctx.json(db.get().query("SELECT * FROM users", User.class)));
 * }</pre>
 *
 * <p>Design: the task is a one-way state machine, running to ready or running to failed, published
 * through one volatile field. {@link #get()} on a ready task is that one read and nothing else (no lock,
 * no allocation), so a handler can call it on every request. While the task runs, {@code get()} throws a
 * 503 problem with {@code Retry-After: 1}; after a failure it throws a 503 that says so, for good: the
 * failure is logged at ERROR with its stack trace and the task is never retried behind the user's back
 * (a half-applied migration needs a person). {@link Covet#readiness()} reports every task's state for a
 * health check.
 *
 * @param <T> what the work produces (a database, a template engine, key material ...)
 */
public final class StartupTask<T> {
    private static final Logger LOG = LoggerFactory.getLogger("dev.covet");

    /** The {@code Retry-After} seconds sent while the task is still running. */
    public static final int RETRY_AFTER_SECONDS = 1;

    /** The work itself; it may block and may throw. */
    @FunctionalInterface
    public interface Work<T> {
        /** Returns the initialized thing, never {@code null}. */
        T run() throws Exception;
    }

    /** Where a task is: waiting for the server to start, running, ready, or failed (for good). */
    public enum State { PENDING, RUNNING, READY, FAILED }

    /** What one finished or running task looks like to a health check. */
    public record Status(String name, State state, Duration elapsed, Optional<String> failure) { }

    private final String name;
    private final Work<T> work;
    private final CountDownLatch done = new CountDownLatch(1);
    /** null while running; then the value, or a {@link Failure}. The only field {@link #get()} reads. */
    private volatile Object outcome;
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile Thread runner;

    StartupTask(String name, Work<T> work) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A startup task needs a name (it appears in logs and 503 answers)");
        }
        this.name = name;
        this.work = work;
    }

    private record Failure(Throwable cause) { }

    /** The name given at creation, as it appears in logs, 503 answers and {@link Covet#readiness()}. */
    public String name() {
        return name;
    }

    /**
     * The result, for a request handler.
     *
     * @throws ProblemException 503 {@value Problems#STARTING} with {@code Retry-After} while the task is
     *     still running (or the server has not started yet); 503 {@value Problems#STARTUP_FAILED} if it failed
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Object o = outcome;
        if (o != null && !(o instanceof Failure)) {
            return (T) o;
        }
        throw unavailable(o);
    }

    /**
     * Waits for the result, for other start-up work and tests (not for request handlers: they should
     * answer 503 at once rather than hold a connection).
     *
     * @throws IllegalStateException if the task failed (with its cause) or did not finish within {@code timeout}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    @SuppressWarnings("unchecked")
    public T await(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("Startup task '" + name + "' did not finish within " + timeout
                    + (startNanos == 0 ? " (it starts when the server starts)" : ""));
        }
        Object o = outcome;
        if (o instanceof Failure f) {
            throw new IllegalStateException("Startup task '" + name + "' failed: " + f.cause(), f.cause());
        }
        return (T) o;
    }

    /** This task's state now. */
    public Status status() {
        Object o = outcome;
        long end = o == null ? System.nanoTime() : endNanos;
        Duration elapsed = startNanos == 0 ? Duration.ZERO : Duration.ofNanos(end - startNanos);
        State state = o == null ? (startNanos == 0 ? State.PENDING : State.RUNNING)
                : o instanceof Failure ? State.FAILED : State.READY;
        Optional<String> failure = o instanceof Failure f ? Optional.of(String.valueOf(f.cause())) : Optional.empty();
        return new Status(name, state, elapsed, failure);
    }

    /** Runs the work on its own daemon thread; {@code onDone} runs after the outcome is published. */
    void start(Runnable onDone) {
        startNanos = System.nanoTime();
        runner = Thread.ofPlatform().daemon().name("covet-startup-" + name).start(() -> {
            Object result;
            try {
                T value = work.run();
                result = value != null ? value
                        : new Failure(new IllegalStateException("the work returned null; return what it initialized"));
            } catch (Throwable e) {
                result = new Failure(e);
            }
            finish(result);
            try {
                if (result instanceof Failure f) {
                    LOG.error("Startup task '{}' FAILED after {} ms; routes that need it answer 503 until the "
                            + "cause is fixed and the server restarted", name, elapsedMs(), f.cause());
                } else {
                    LOG.info("Startup task '{}' ready in {} ms", name, elapsedMs());
                }
            } finally {
                onDone.run();
            }
            if (result instanceof Failure(VirtualMachineError fatal)) {
                throw fatal;  // out of memory and the like: recorded and logged above; the thread dies with it
            }
        });
    }

    /** Interrupts the work if it is still running (the server is stopping). */
    void cancel() {
        Thread t = runner;
        if (t != null && outcome == null) {
            t.interrupt();
        }
    }

    private void finish(Object result) {
        endNanos = System.nanoTime();
        outcome = result;
        done.countDown();
    }

    private long elapsedMs() {
        return (endNanos - startNanos) / 1_000_000;
    }

    private ProblemException unavailable(Object o) {
        if (o instanceof Failure) {
            return new ProblemException(Problem.of(503, Problems.STARTUP_FAILED, "Service Unavailable",
                    "'" + name + "' failed to initialize when the server started; the server log has the cause"));
        }
        String detail = startNanos == 0
                ? "'" + name + "' has not started yet; retry shortly"
                : "'" + name + "' is still initializing (" + (System.nanoTime() - startNanos) / 1_000_000
                        + " ms so far); retry shortly";
        return new ProblemException(new Problem(Problems.STARTING, "Service Unavailable", 503, detail, null,
                List.of(), Map.of()), Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
    }
}
