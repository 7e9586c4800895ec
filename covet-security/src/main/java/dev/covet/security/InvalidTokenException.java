package dev.covet.security;

/**
 * A token was refused. {@link #reason()} says why, for logs and tests; the HTTP answer never does
 * (it is always the same 401, so an attacker learns nothing from probing).
 */
public final class InvalidTokenException extends RuntimeException {

    /** Why a token was refused. */
    public enum Reason {
        MALFORMED, UNSECURED, FORBIDDEN_HEADER, UNKNOWN_KEY, ALGORITHM_MISMATCH, BAD_SIGNATURE, WRONG_TYPE, EXPIRED,
        NOT_YET_VALID, ISSUED_IN_FUTURE, WRONG_ISSUER, WRONG_AUDIENCE, MISSING_CLAIM, REVOKED, REUSED
    }

    private final Reason reason;

    InvalidTokenException(Reason reason, String message) {
        // The message is for logs: it names the check, never the token or a secret.
        super(reason + ": " + message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
