package dev.covet.security;

import dev.covet.Problem;
import dev.covet.ProblemException;
import dev.covet.Problems;

/**
 * The {@code type} URIs of the problems covet-security produces (listed in docs/security.md). Their
 * details are fixed sentences: they never say which check failed, never echo a token, a password or
 * a user name.
 */
public final class SecurityProblems {
    private static final String PREFIX = "urn:covet:problem:";
    /** 401: no credentials were presented. */
    public static final String UNAUTHENTICATED = PREFIX + "unauthenticated";
    /** 401: a token was presented and refused (malformed, expired, wrong key, ...). */
    public static final String INVALID_TOKEN = PREFIX + "invalid-token";
    /** 401: user name, password or one-time code wrong (one answer for all, so accounts cannot be probed). */
    public static final String INVALID_CREDENTIALS = PREFIX + "invalid-credentials";
    /** 403: authenticated, but a role or scope is missing. */
    public static final String FORBIDDEN = PREFIX + "forbidden";
    /** 403: a CORS preflight for an origin, method or header that is not allowed. */
    public static final String CORS_REFUSED = PREFIX + "cors-refused";
    /** 429: a rate limit was exceeded; {@code Retry-After} says when to come back. */
    public static final String RATE_LIMITED = PREFIX + "rate-limited";
    /** 503: too many password hashes in progress, or the rate-limit store is down and fails closed. */
    public static final String BUSY = PREFIX + "service-unavailable";

    private SecurityProblems() { }

    static ProblemException problem(String type, int status, String detail) {
        return new ProblemException(Problem.of(status, type, Problems.titleFor(status), detail));
    }
}
