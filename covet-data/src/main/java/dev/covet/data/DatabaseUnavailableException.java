package dev.covet.data;

/**
 * The database cannot be reached (connection refused or broken). Covet answers it with {@code 503} and
 * the problem type {@value #TYPE}. After the first failure, calls fail at once (no waiting for a
 * timeout) while one call at a time probes the server; recovery is automatic once a probe succeeds.
 */
public final class DatabaseUnavailableException extends DatabaseProblem {
    public static final String TYPE = "urn:covet:problem:database-unavailable";

    DatabaseUnavailableException(String detail, Throwable cause) {
        super(TYPE, "Database unavailable", detail, cause);
    }
}
