package dev.covet.security;

import dev.covet.Context;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who made the request, as proven by a verified token. {@link BearerAuth} stores it on the request;
 * handlers read it with {@link #current(Context)} or {@link #require(Context)}.
 *
 * @param subject the {@code sub} claim
 * @param roles   from the {@code roles} claim (a string array)
 * @param scopes  from the {@code scope} claim (space-separated, RFC 9068) or the {@code scp} array
 * @param claims  every claim of the token
 */
public record AuthenticatedUser(String subject, Set<String> roles, Set<String> scopes, Map<String, Object> claims) {
    /** The request attribute under which the user is stored. */
    public static final String ATTRIBUTE = "covet.security.user";

    public AuthenticatedUser {
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
        claims = Map.copyOf(claims);
    }

    /** The user of this request, if a token was verified. */
    public static Optional<AuthenticatedUser> current(Context ctx) {
        return ctx.<AuthenticatedUser>attribute(ATTRIBUTE);
    }

    /**
     * The user of this request.
     *
     * @throws dev.covet.ProblemException 401 if no token was verified for it
     */
    public static AuthenticatedUser require(Context ctx) {
        return current(ctx).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", BearerAuth.CHALLENGE);
            return SecurityProblems.problem(SecurityProblems.UNAUTHENTICATED, 401,
                    "This resource requires an access token");
        });
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** A claim by name. */
    public Optional<Object> claim(String name) {
        return Optional.ofNullable(claims.get(name));
    }
}
