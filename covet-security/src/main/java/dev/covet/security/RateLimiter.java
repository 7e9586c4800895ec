package dev.covet.security;

import dev.covet.Context;
import dev.covet.Middleware;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Middleware that limits requests per key with a token bucket:
 *
 * <pre>{@code
 * ClientIp clientIp = ClientIp.trustingProxies("10.0.0.0/8");
 * app.group("/api", api -> api.use(RateLimiter.builder("api", RateLimit.of(100, Duration.ofMinutes(1)))
 *         .key(RateLimitKey.clientIp(clientIp))
 *         .store(RateLimitStore.redis(redisClient, "myapp:rl:", Duration.ofMillis(200)))
 *         .whenStoreFails(RateLimiter.FailurePolicy.FAIL_OPEN)
 *         .build()));
 * }</pre>
 *
 * <p>Every answer carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} (seconds until the bucket is full again) and {@code RateLimit-Policy}
 * (IETF draft "RateLimit header fields for HTTP"). A request over the limit gets 429 with
 * {@code Retry-After} (seconds) and never reaches the handler.
 *
 * <p>When the store fails (Redis down or slower than its timeout): {@link FailurePolicy#FAIL_OPEN}
 * (the default) lets the request through without headers and logs a warning at most every 10 s;
 * {@link FailurePolicy#FAIL_CLOSED} answers 503.
 */
public final class RateLimiter implements Middleware {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    /** What to do when the store cannot answer. */
    public enum FailurePolicy {
        /** Serve the request unlimited (availability first). */
        FAIL_OPEN,
        /** Refuse with 503 (protection first, e.g. for logins). */
        FAIL_CLOSED
    }

    private final String name;
    private final RateLimit limit;
    private final RateLimitKey key;
    private final RateLimitStore store;
    private final FailurePolicy policy;
    private final String policyHeader;
    private volatile long lastWarning;

    private RateLimiter(Builder b) {
        this.name = b.name;
        this.limit = b.limit;
        this.key = b.key;
        this.store = b.store;
        this.policy = b.policy;
        this.policyHeader = limit.capacity() + ";w=" + Math.max(1, limit.period().toSeconds());
    }

    /** A limiter named {@code name} (part of every bucket key, so limiters never share buckets). */
    public static Builder builder(String name, RateLimit limit) {
        return new Builder(name, limit);
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        RateLimit.Result result;
        try {
            result = store.tryConsume(name + ":" + key.of(ctx), limit);
        } catch (RateLimitStore.RateLimitStoreException e) {
            warnSometimes(e);
            if (policy == FailurePolicy.FAIL_CLOSED) {
                ctx.header("Retry-After", "5");
                throw SecurityProblems.problem(SecurityProblems.BUSY, 503, "Rate limiting is unavailable; try again shortly");
            }
            next.proceed();
            return;
        }
        ctx.header("RateLimit-Limit", Long.toString(result.limit()));
        ctx.header("RateLimit-Remaining", Long.toString(result.remaining()));
        ctx.header("RateLimit-Reset", Long.toString(ceilSeconds(result.reset())));
        ctx.header("RateLimit-Policy", policyHeader);
        if (!result.allowed()) {
            ctx.header("Retry-After", Long.toString(Math.max(1, ceilSeconds(result.retryAfter()))));
            throw SecurityProblems.problem(SecurityProblems.RATE_LIMITED, 429, "Too many requests; retry later");
        }
        next.proceed();
    }

    /** Takes a token for {@code key} directly (for checks that are not a whole route, like logins). */
    RateLimit.Result tryConsume(String key) {
        return store.tryConsume(name + ":" + key, limit);
    }

    FailurePolicy policy() {
        return policy;
    }

    void warnSometimes(Exception e) {
        long now = System.nanoTime();
        if (now - lastWarning > Duration.ofSeconds(10).toNanos()) {
            lastWarning = now;
            LOG.warn("Rate limiter {} cannot reach its store ({}); failing {}", name, e.getMessage(),
                    policy == FailurePolicy.FAIL_OPEN ? "open" : "closed");
        }
    }

    private static long ceilSeconds(Duration d) {
        long seconds = d.toSeconds();
        return d.minusSeconds(seconds).isZero() ? seconds : seconds + 1;
    }

    /** Configures a {@link RateLimiter}. */
    public static final class Builder {
        private final String name;
        private final RateLimit limit;
        private RateLimitKey key = RateLimitKey.clientIp(ClientIp.direct());
        private RateLimitStore store;
        private FailurePolicy policy = FailurePolicy.FAIL_OPEN;

        private Builder(String name, RateLimit limit) {
            this.name = name;
            this.limit = limit;
        }

        /** What to count by (default: the connection's peer address). */
        public Builder key(RateLimitKey key) { this.key = key; return this; }

        /** Where buckets live (default: a new in-memory store). */
        public Builder store(RateLimitStore store) { this.store = store; return this; }

        /** What to do when the store fails (default {@link FailurePolicy#FAIL_OPEN}). */
        public Builder whenStoreFails(FailurePolicy policy) { this.policy = policy; return this; }

        public RateLimiter build() {
            if (store == null) {
                store = RateLimitStore.inMemory();
            }
            return new RateLimiter(this);
        }
    }
}
