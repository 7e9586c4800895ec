package dev.covet.security;

import dev.covet.Context;

/**
 * What a {@link RateLimiter} counts by: the client IP, the authenticated user, the route, or a
 * combination ({@link #and}).
 */
@FunctionalInterface
public interface RateLimitKey {

    /** The key of this request; requests with the same key share a bucket. */
    String of(Context ctx);

    /** By client address (see {@link ClientIp} for proxies). */
    static RateLimitKey clientIp(ClientIp clientIp) {
        return ctx -> "ip:" + clientIp.of(ctx);
    }

    /** By authenticated user ({@link BearerAuth} before the limiter); anonymous requests by client address. */
    static RateLimitKey user(ClientIp clientIp) {
        return ctx -> AuthenticatedUser.current(ctx).map(u -> "user:" + u.subject()).orElseGet(() -> "ip:" + clientIp.of(ctx));
    }

    /** By method and path, so each path has its own bucket. */
    static RateLimitKey route() {
        return ctx -> "route:" + ctx.method() + " " + ctx.path();
    }

    /** Both keys: one bucket per combination (e.g. per user per route). */
    default RateLimitKey and(RateLimitKey other) {
        return ctx -> of(ctx) + "|" + other.of(ctx);
    }
}
