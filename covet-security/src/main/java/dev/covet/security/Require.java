package dev.covet.security;

import dev.covet.Middleware;
import java.util.List;
import java.util.Set;

/**
 * Route guards, used after {@link BearerAuth}:
 *
 * <pre>{@code
 * admin.use(BearerAuth.create(verifier));
 * admin.use(Require.anyRole("admin", "ops"));      // 403 for a user with neither role
 * reports.use(Require.scopes("reports:read"));    // 403 unless the token has every scope
 * }</pre>
 *
 * Without an authenticated user every guard answers 401; with one that lacks what is required, 403.
 */
public final class Require {
    private Require() { }

    /** Requires an authenticated user (401 otherwise). */
    public static Middleware authenticated() {
        return (ctx, next) -> {
            AuthenticatedUser.require(ctx);
            next.proceed();
        };
    }

    /**
     * Requires at least one of {@code roles}.
     *
     * @throws IllegalArgumentException if no role is given
     */
    public static Middleware anyRole(String... roles) {
        List<String> required = List.of(roles);
        if (required.isEmpty()) {
            throw new IllegalArgumentException("Name at least one role");
        }
        return (ctx, next) -> {
            AuthenticatedUser user = AuthenticatedUser.require(ctx);
            if (required.stream().noneMatch(user::hasRole)) {
                throw SecurityProblems.problem(SecurityProblems.FORBIDDEN, 403, "You lack the role this resource requires");
            }
            next.proceed();
        };
    }

    /**
     * Requires every one of {@code scopes} (OAuth semantics); a 403 names them in
     * {@code WWW-Authenticate: Bearer error="insufficient_scope", scope="..."} (RFC 6750 3.1).
     *
     * @throws IllegalArgumentException if no scope is given
     */
    public static Middleware scopes(String... scopes) {
        Set<String> required = Set.of(scopes);
        if (required.isEmpty()) {
            throw new IllegalArgumentException("Name at least one scope");
        }
        String challenge = BearerAuth.CHALLENGE + ", error=\"insufficient_scope\", scope=\"" + String.join(" ", scopes) + "\"";
        return (ctx, next) -> {
            AuthenticatedUser user = AuthenticatedUser.require(ctx);
            if (!user.scopes().containsAll(required)) {
                ctx.header("WWW-Authenticate", challenge);
                throw SecurityProblems.problem(SecurityProblems.FORBIDDEN, 403, "The access token lacks a required scope");
            }
            next.proceed();
        };
    }
}
