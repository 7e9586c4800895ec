package dev.covet.demo;

import dev.covet.Covet;
import dev.covet.ProblemException;
import dev.covet.security.AuthenticatedUser;
import dev.covet.security.BearerAuth;
import dev.covet.security.ClientIp;
import dev.covet.security.Cors;
import dev.covet.security.InMemoryRefreshTokenStore;
import dev.covet.security.InvalidTokenException;
import dev.covet.security.JwtAlgorithm;
import dev.covet.security.JwtIssuer;
import dev.covet.security.JwtKey;
import dev.covet.security.JwtKeySet;
import dev.covet.security.JwtVerifier;
import dev.covet.security.LoginGuard;
import dev.covet.security.PasswordHasher;
import dev.covet.security.RateLimit;
import dev.covet.security.RateLimitKey;
import dev.covet.security.RateLimiter;
import dev.covet.security.RefreshTokens;
import dev.covet.security.Require;
import dev.covet.security.SecurityHeaders;
import dev.covet.security.Totp;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The security examples of docs/security.md, under {@code /secure}: login with an optional one-time
 * code, refresh, a protected route, an admin-only route, TOTP enrolment, a rate-limited route, CORS.
 *
 * <p>Demo users (passwords stored as Argon2id hashes): {@code alice} / {@code wonderland}
 * (admin) and {@code bob} / {@code builder}. Keys are generated at each start, so tokens do not survive
 * a restart.
 *
 * <p>{@code DEMO_JWT_HS256_SECRET} (Base64, at least 32 bytes) adds an HMAC verification key with kid
 * {@code bench}: the benchmark harness mints its own tokens with it (issuer and audience
 * {@code covet-demo}) to measure an authenticated request without logging in first.
 */
final class SecurityExamples {
    private SecurityExamples() { }

    /** Key id of the benchmark's HMAC verification key. */
    static final String BENCH_KID = "bench";

    record Account(String passwordHash, List<String> roles, Optional<String> totpSecret) { }

    record Login(@NotBlank String user, @NotBlank String password, String code) { }

    record Refresh(@NotBlank String refreshToken) { }

    static void register(Covet app) {
        String benchSecret = System.getenv("DEMO_JWT_HS256_SECRET");
        register(app, benchSecret == null || benchSecret.isBlank() ? Optional.empty()
                : Optional.of(Base64.getDecoder().decode(benchSecret.trim())));
    }

    /** @param benchSecret the HS256 secret of the benchmark's {@code bench} key, if any */
    static void register(Covet app, Optional<byte[]> benchSecret) {
        PasswordHasher hasher = PasswordHasher.create();
        Map<String, Account> accounts = new ConcurrentHashMap<>();
        // Precomputed Argon2id hashes (the argon2 CLI, OWASP parameters), so start-up does not pay for hashing.
        accounts.put("alice", new Account("$argon2id$v=19$m=19456,t=2,p=1$Y292ZXRkZW1vYWxpY2UwMQ$W3kKVlTKUZ6BlRmEuW+0iwGvL+7tVFy2wpA4O6cTlzw", List.of("admin"), Optional.empty()));
        accounts.put("bob", new Account("$argon2id$v=19$m=19456,t=2,p=1$Y292ZXRkZW1vYm9iMDAwMQ$K/D2qKbVnday2GU9ttgCu7JxRFn+kwiWI6MKpCiyntY", List.of(), Optional.empty()));

        JwtKey signing = JwtKey.generate("demo-" + System.currentTimeMillis(), JwtAlgorithm.ES256);
        JwtKeySet keys = benchSecret.isEmpty() ? JwtKeySet.of(signing)
                : JwtKeySet.of(signing, JwtKey.hmac(BENCH_KID, JwtAlgorithm.HS256, benchSecret.get()));
        JwtIssuer issuer = JwtIssuer.builder(keys).issuer("covet-demo").audience("covet-demo").build();
        JwtVerifier verifier = JwtVerifier.builder(keys).issuer("covet-demo").audience("covet-demo").build();
        RefreshTokens tokens = RefreshTokens.create(issuer, InMemoryRefreshTokenStore.create());
        LoginGuard guard = LoginGuard.builder(hasher).build();
        Totp totp = Totp.create();
        keys.install(app);  // GET /.well-known/jwks.json

        // CORS and security headers for /secure only (app-level, so CORS also sees automatic OPTIONS answers).
        Cors cors = Cors.builder().allowOrigins("http://localhost:3000").allowMethods("GET", "POST")
                .allowHeaders("Content-Type", "Authorization").allowCredentials(true).build();
        SecurityHeaders headers = SecurityHeaders.secure();
        app.use((ctx, next) -> {
            if (ctx.path().startsWith("/secure/")) {
                headers.handle(ctx, () -> cors.handle(ctx, next));
            } else {
                next.proceed();
            }
        });

        app.group("/secure", secure -> {
            secure.post("/login", ctx -> {
                Login login = ctx.bodyAs(Login.class);
                Optional<Account> account = Optional.ofNullable(accounts.get(login.user()));
                PasswordHasher.Verification ok = guard.attempt(ctx, login.user(), login.password(),
                        user -> account.map(Account::passwordHash));
                Account found = account.orElseThrow();
                ok.upgradedHash().ifPresent(hash -> accounts.put(login.user(),
                        new Account(hash, found.roles(), found.totpSecret())));
                if (found.totpSecret().isPresent()
                        && (login.code() == null || !totp.verify(login.user(), found.totpSecret().get(), login.code()))) {
                    throw LoginGuard.invalid();  // the same 401 as a wrong password
                }
                ctx.json(tokens.issue(login.user(), Map.of("roles", found.roles())).toResponse());
            });
            secure.post("/refresh", ctx -> {
                try {
                    ctx.json(tokens.refresh(ctx.bodyAs(Refresh.class).refreshToken()).toResponse());
                } catch (InvalidTokenException e) {
                    throw LoginGuard.invalid();
                }
            });
            secure.group("/limited", limited -> {
                limited.use(RateLimiter.builder("demo-limited", RateLimit.of(5, Duration.ofMinutes(1)))
                        .key(RateLimitKey.clientIp(ClientIp.direct())).build());
                limited.get("/", ctx -> ctx.text("You may call this 5 times a minute."));
            });
            secure.group("/me", me -> {
                me.use(BearerAuth.create(verifier));
                me.get("/", ctx -> {
                    AuthenticatedUser user = AuthenticatedUser.require(ctx);
                    ctx.json(Map.of("user", user.subject(), "roles", user.roles()));
                });
                me.post("/totp", ctx -> {
                    String user = AuthenticatedUser.require(ctx).subject();
                    String secret = totp.newSecret();
                    accounts.computeIfPresent(user, (k, a) -> new Account(a.passwordHash(), a.roles(), Optional.of(secret)));
                    ctx.json(Map.of("otpauthUri", totp.uri("Covet demo", user, secret), "qr", "/secure/me/totp.png"));
                });
                me.get("/totp.png", ctx -> {
                    String user = AuthenticatedUser.require(ctx).subject();
                    String secret = accounts.get(user).totpSecret()
                            .orElseThrow(() -> new ProblemException(404, "TOTP is not enabled; POST /secure/me/totp first"));
                    ctx.contentType("image/png").header("Cache-Control", "no-store")
                            .bytes(totp.qrPng(totp.uri("Covet demo", user, secret), 240));
                });
            });
            secure.group("/admin", admin -> {
                admin.use(BearerAuth.create(verifier));
                admin.use(Require.anyRole("admin"));
                admin.get("/stats", ctx -> ctx.json(Map.of("accounts", accounts.size())));
            });
        });
    }
}
