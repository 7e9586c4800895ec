package dev.covet.security;

import java.time.Duration;

/**
 * A token bucket: {@code capacity} requests at once, refilled continuously at {@code capacity} per
 * {@code period} (so a client can burst to the capacity, then sustain the rate).
 */
public record RateLimit(long capacity, Duration period) {
    public RateLimit {
        if (capacity < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("A rate limit needs a positive capacity and period");
        }
    }

    /** {@code capacity} requests per {@code period}. */
    public static RateLimit of(long capacity, Duration period) {
        return new RateLimit(capacity, period);
    }

    /** The outcome of taking one token. */
    public record Result(boolean allowed, long limit, long remaining, Duration retryAfter, Duration reset) { }
}
