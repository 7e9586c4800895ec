package dev.covet.security;

import dev.covet.Context;
import dev.covet.Middleware;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Middleware that authenticates requests with a bearer token (RFC 6750) and stores the
 * {@link AuthenticatedUser} for handlers.
 *
 * <pre>{@code
 * app.group("/api", api -> {
 *     api.use(BearerAuth.create(verifier));                  // 401 without a valid token
 *     api.get("/me", ctx -> ctx.json(AuthenticatedUser.require(ctx).subject()));
 * });
 * }</pre>
 *
 * <p>The token is read from {@code Authorization: Bearer ...}; optionally also from a cookie, a
 * query parameter or the WebSocket subprotocol offer (for WebSocket upgrades, where browsers cannot
 * set headers). A missing token
 * answers 401 with {@code WWW-Authenticate: Bearer realm="covet"} (unless {@link #optional()}); a
 * token that is refused always answers 401 with {@code error="invalid_token"} and the same
 * detail, whatever the reason (the reason is logged at debug level).
 */
public final class BearerAuth implements Middleware {
    static final String CHALLENGE = "Bearer realm=\"covet\"";
    static final String INVALID = "Bearer realm=\"covet\", error=\"invalid_token\"";
    private static final Logger LOG = LoggerFactory.getLogger(BearerAuth.class);

    private final JwtVerifier verifier;
    private final String cookie;
    private final String queryParam;
    private final String subprotocolMarker;
    private final boolean optional;
    private final AccessTokenDenylist denylist;
    private final RateLimiter.FailurePolicy denylistPolicy;
    private volatile long lastDenylistWarning;

    private BearerAuth(JwtVerifier verifier, String cookie, String queryParam, String subprotocolMarker, boolean optional,
                       AccessTokenDenylist denylist, RateLimiter.FailurePolicy denylistPolicy) {
        this.verifier = verifier;
        this.cookie = cookie;
        this.queryParam = queryParam;
        this.subprotocolMarker = subprotocolMarker;
        this.optional = optional;
        this.denylist = denylist;
        this.denylistPolicy = denylistPolicy;
    }

    /** Requires a valid token in the {@code Authorization} header. */
    public static BearerAuth create(JwtVerifier verifier) {
        return new BearerAuth(verifier, null, null, null, false, null, RateLimiter.FailurePolicy.FAIL_CLOSED);
    }

    /** Also accepts the token from this cookie when there is no {@code Authorization} header. */
    public BearerAuth fromCookie(String name) {
        return new BearerAuth(verifier, name, queryParam, subprotocolMarker, optional, denylist, denylistPolicy);
    }

    /**
     * Also accepts the token from this query parameter (for WebSocket upgrades). Query strings end up
     * in access logs and browser history: prefer short-lived tokens here.
     */
    public BearerAuth fromQueryParam(String name) {
        return new BearerAuth(verifier, cookie, name, subprotocolMarker, optional, denylist, denylistPolicy);
    }

    /**
     * Also accepts the token from a WebSocket handshake's subprotocol offer, as the entry that follows
     * {@code marker}: a browser opens {@code new WebSocket(url, ["bearer", token])}, which sends
     * {@code Sec-WebSocket-Protocol: bearer, <token>}. The route must declare the marker among its
     * subprotocols ({@code ws.subprotocols("bearer")}) so that the handshake can be answered; the
     * server then echoes a subprotocol it speaks, never the token. Unlike a query parameter, the token
     * stays out of URLs and so out of access logs and browser history.
     *
     * @throws IllegalArgumentException if {@code marker} is empty
     */
    public BearerAuth fromSubprotocol(String marker) {
        if (marker == null || marker.isBlank()) {
            throw new IllegalArgumentException("A subprotocol marker such as \"bearer\" is required");
        }
        return new BearerAuth(verifier, cookie, queryParam, marker.trim(), optional, denylist, denylistPolicy);
    }

    /** Lets requests without a token through (without a user); invalid tokens are still refused. */
    public BearerAuth optional() {
        return new BearerAuth(verifier, cookie, queryParam, subprotocolMarker, true, denylist, denylistPolicy);
    }

    /**
     * {@link #denylist(AccessTokenDenylist, RateLimiter.FailurePolicy)} failing closed: while the
     * denylist cannot answer, requests with a token get 503 (a revoked token must not pass).
     */
    public BearerAuth denylist(AccessTokenDenylist denylist) {
        return denylist(denylist, RateLimiter.FailurePolicy.FAIL_CLOSED);
    }

    /**
     * Refuses (401, like any invalid token) tokens whose {@code jti} is in {@code denylist}, and tokens
     * without a {@code jti}, which could never be revoked. When the denylist cannot answer:
     * {@link RateLimiter.FailurePolicy#FAIL_CLOSED} answers 503 with {@code Retry-After: 5};
     * {@link RateLimiter.FailurePolicy#FAIL_OPEN} accepts the verified token, revoked or not. Either
     * way a warning is logged at most every 10 s.
     */
    public BearerAuth denylist(AccessTokenDenylist denylist, RateLimiter.FailurePolicy whenUnavailable) {
        return new BearerAuth(verifier, cookie, queryParam, subprotocolMarker, optional, denylist, whenUnavailable);
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        Optional<String> token = token(ctx);
        if (token.isEmpty()) {
            if (optional) {
                next.proceed();
                return;
            }
            ctx.header("WWW-Authenticate", CHALLENGE);
            throw SecurityProblems.problem(SecurityProblems.UNAUTHENTICATED, 401, "This resource requires an access token");
        }
        AuthenticatedUser user;
        try {
            user = verifier.verify(token.get());
            if (denylist != null) {
                checkNotRevoked(ctx, user);
            }
        } catch (InvalidTokenException e) {
            LOG.debug("Refused a token on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("WWW-Authenticate", INVALID);
            throw SecurityProblems.problem(SecurityProblems.INVALID_TOKEN, 401, "The access token is not valid");
        }
        ctx.attribute(AuthenticatedUser.ATTRIBUTE, user);
        next.proceed();
    }

    private void checkNotRevoked(Context ctx, AuthenticatedUser user) {
        if (!(user.claims().get("jti") instanceof String jti)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MISSING_CLAIM, "jti is required with a denylist");
        }
        boolean revoked;
        try {
            revoked = denylist.isRevoked(jti);
        } catch (AccessTokenDenylist.DenylistUnavailableException e) {
            warnSometimes(e);
            if (denylistPolicy == RateLimiter.FailurePolicy.FAIL_CLOSED) {
                ctx.header("Retry-After", "5");
                throw SecurityProblems.problem(SecurityProblems.BUSY, 503, "Authentication is unavailable; try again shortly");
            }
            return;
        }
        if (revoked) {
            throw new InvalidTokenException(InvalidTokenException.Reason.REVOKED, "jti is on the denylist");
        }
    }

    private void warnSometimes(Exception e) {
        long now = System.nanoTime();
        if (now - lastDenylistWarning > Duration.ofSeconds(10).toNanos()) {
            lastDenylistWarning = now;
            LOG.warn("Access-token denylist unavailable ({}); failing {}", e.getMessage(),
                    denylistPolicy == RateLimiter.FailurePolicy.FAIL_OPEN ? "open" : "closed");
        }
    }

    private Optional<String> token(Context ctx) {
        Optional<String> authorization = ctx.header("Authorization");
        if (authorization.isPresent()) {
            String value = authorization.get();
            if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                return Optional.of(value.substring(7).trim());
            }
            // Another scheme (Basic, ...) is not ours: treat as no bearer token.
        }
        if (cookie != null) {
            Optional<String> value = ctx.cookie(cookie).filter(v -> !v.isEmpty());
            if (value.isPresent()) {
                return value;
            }
        }
        if (queryParam != null) {
            Optional<String> value = ctx.queryParam(queryParam).filter(v -> !v.isEmpty());
            if (value.isPresent()) {
                return value;
            }
        }
        if (subprotocolMarker != null) {
            return ctx.header("Sec-WebSocket-Protocol").flatMap(this::tokenAfterMarker);
        }
        return Optional.empty();
    }

    /** In {@code marker, <token>[, others]}: the entry after the marker. */
    private Optional<String> tokenAfterMarker(String offer) {
        String[] entries = offer.split(",");
        for (int i = 0; i < entries.length - 1; i++) {
            if (entries[i].trim().equals(subprotocolMarker)) {
                return Optional.of(entries[i + 1].trim()).filter(v -> !v.isEmpty());
            }
        }
        return Optional.empty();
    }
}
