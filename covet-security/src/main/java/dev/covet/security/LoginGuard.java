package dev.covet.security;

import dev.covet.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Protects a login route: limits attempts per account and per client IP, checks the password in the
 * same time whether or not the account exists, and answers every failure the same way.
 *
 * <pre>{@code
 * LoginGuard guard = LoginGuard.builder(hasher).clientIp(ClientIp.trustingProxies("10.0.0.0/8")).build();
 * app.post("/login", ctx -> {
 *     Login login = ctx.bodyAs(Login.class);
 *     PasswordHasher.Verification ok = guard.attempt(ctx, login.user(), login.password(), users::passwordHash);
 *     ok.upgradedHash().ifPresent(hash -> users.updateHash(login.user(), hash));
 *     ctx.json(tokens.issue(login.user(), Map.of()).toResponse());
 * });
 * }</pre>
 *
 * <p>Each attempt takes a token from the account's bucket (default 5 per 15 minutes, keyed by the
 * lower-cased account name whether or not it exists) and from the IP's bucket (default 30 per 15
 * minutes); an empty bucket answers 429 with {@code Retry-After} before any hashing. An unknown
 * account is checked against a dummy hash ({@link PasswordHasher#verifyDummy}), so it costs the same
 * as a wrong password; both answer 401 {@code invalid-credentials} with one fixed detail. Caveat: the
 * per-account limit lets anyone slow down logins to a known account name (it refills steadily and
 * never locks the account for good); raise it or key it by account and IP if that matters more to you.
 * If the store fails, logins are refused with 503 unless {@link Builder#whenStoreFails} says otherwise.
 */
public final class LoginGuard {
    private final PasswordHasher hasher;
    private final RateLimiter perAccount;
    private final RateLimiter perIp;
    private final ClientIp clientIp;

    private LoginGuard(Builder b) {
        this.hasher = b.hasher;
        RateLimitStore store = b.store == null ? RateLimitStore.inMemory() : b.store;
        this.perAccount = RateLimiter.builder("login-account", b.perAccount).store(store).whenStoreFails(b.policy).build();
        this.perIp = RateLimiter.builder("login-ip", b.perIp).store(store).whenStoreFails(b.policy).build();
        this.clientIp = b.clientIp;
    }

    public static Builder builder(PasswordHasher hasher) {
        return new Builder(hasher);
    }

    /**
     * Checks a login attempt.
     *
     * @param passwordHash finds the stored hash of an account; empty if there is no such account
     * @return the verification (matched; maybe a new hash to store)
     * @throws dev.covet.ProblemException 429 when a limit is reached, 401 for a wrong password or an
     *     unknown account (the same answer), 503 if hashing is saturated or the store fails closed
     */
    public PasswordHasher.Verification attempt(Context ctx, String account, String password,
                                               Function<String, Optional<String>> passwordHash) {
        take(ctx, perIp, "ip:" + clientIp.of(ctx));
        take(ctx, perAccount, "account:" + account.trim().toLowerCase(Locale.ROOT));
        Optional<String> stored = passwordHash.apply(account);
        if (stored.isEmpty()) {
            hasher.verifyDummy(password);
            throw invalid();
        }
        PasswordHasher.Verification verification = hasher.verifyAndUpgrade(password, stored.get());
        if (!verification.matches()) {
            throw invalid();
        }
        return verification;
    }

    /** The 401 every failed credential check answers (also for a wrong one-time code after the password). */
    public static dev.covet.ProblemException invalid() {
        return SecurityProblems.problem(SecurityProblems.INVALID_CREDENTIALS, 401, "The credentials are not valid");
    }

    private static void take(Context ctx, RateLimiter limiter, String key) {
        RateLimit.Result result;
        try {
            result = limiter.tryConsume(key);
        } catch (RateLimitStore.RateLimitStoreException e) {
            limiter.warnSometimes(e);
            if (limiter.policy() == RateLimiter.FailurePolicy.FAIL_CLOSED) {
                ctx.header("Retry-After", "5");
                throw SecurityProblems.problem(SecurityProblems.BUSY, 503, "Logins are unavailable; try again shortly");
            }
            return;
        }
        if (!result.allowed()) {
            long seconds = Math.max(1, (result.retryAfter().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            throw SecurityProblems.problem(SecurityProblems.RATE_LIMITED, 429, "Too many login attempts; retry later");
        }
    }

    /** Configures a {@link LoginGuard}. */
    public static final class Builder {
        private final PasswordHasher hasher;
        private RateLimit perAccount = RateLimit.of(5, java.time.Duration.ofMinutes(15));
        private RateLimit perIp = RateLimit.of(30, java.time.Duration.ofMinutes(15));
        private ClientIp clientIp = ClientIp.direct();
        private RateLimitStore store;
        private RateLimiter.FailurePolicy policy = RateLimiter.FailurePolicy.FAIL_CLOSED;

        private Builder(PasswordHasher hasher) {
            this.hasher = hasher;
        }

        /** Attempts per account name (default 5 per 15 minutes). */
        public Builder perAccount(RateLimit limit) { this.perAccount = limit; return this; }

        /** Attempts per client IP (default 30 per 15 minutes). */
        public Builder perIp(RateLimit limit) { this.perIp = limit; return this; }

        /** How to find the client IP (default: the connection's peer). */
        public Builder clientIp(ClientIp clientIp) { this.clientIp = clientIp; return this; }

        /** Where the buckets live (default in memory; use Redis with several instances). */
        public Builder store(RateLimitStore store) { this.store = store; return this; }

        /** What to do when the store fails (default {@link RateLimiter.FailurePolicy#FAIL_CLOSED}). */
        public Builder whenStoreFails(RateLimiter.FailurePolicy policy) { this.policy = policy; return this; }

        public LoginGuard build() {
            return new LoginGuard(this);
        }
    }
}
