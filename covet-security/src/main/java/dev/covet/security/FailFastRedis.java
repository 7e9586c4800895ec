package dev.covet.security;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits at most a deadline for a Redis answer and, once Redis has failed, fails at once for a second
 * without trying it, so an outage costs each request nothing rather than the whole timeout. The
 * Redis-backed stores use it; they turn {@link Unavailable} into their own exception, and the
 * middleware above them applies its fail-open or fail-closed policy.
 */
final class FailFastRedis {
    private static final long BACK_OFF_NANOS = Duration.ofSeconds(1).toNanos();

    private final Duration timeout;
    private volatile long failedAt;
    private volatile boolean failed;

    FailFastRedis(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Starts {@code call} and waits for its answer.
     *
     * @throws Unavailable if Redis failed less than a second ago, answered with an error or not within the timeout
     */
    <T> T await(Supplier<? extends CompletionStage<T>> call) {
        if (failed && System.nanoTime() - failedAt < BACK_OFF_NANOS) {
            throw new Unavailable("Redis failed less than a second ago", null);
        }
        CompletableFuture<T> answer;
        try {
            answer = call.get().toCompletableFuture();
        } catch (RuntimeException e) {
            // A client may refuse a command outright (closed connection) instead of failing its future.
            failedAt = System.nanoTime();
            failed = true;
            throw new Unavailable("Redis refused the command: " + e, e);
        }
        try {
            T result = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            failed = false;
            return result;
        } catch (TimeoutException | ExecutionException e) {
            answer.cancel(true);
            failedAt = System.nanoTime();
            failed = true;
            throw new Unavailable("Redis did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("Interrupted", e);
        }
    }

    /** Redis could not be used; the message names the failure, never a key's content. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
