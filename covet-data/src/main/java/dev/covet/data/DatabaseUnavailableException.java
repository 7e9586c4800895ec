package dev.covet.data;

import dev.covet.Problem;
import dev.covet.ProblemException;
import java.util.List;
import java.util.Map;

/**
 * The database cannot be reached (connection refused or broken). Covet answers it with {@code 503} and
 * the problem type {@value #TYPE}. After the first failure, calls fail at once (no waiting for a
 * timeout) while one call at a time probes the server; recovery is automatic once a probe succeeds.
 */
public final class DatabaseUnavailableException extends ProblemException {
    // ProblemException fixes its cause to null (no stack trace cost); the driver's error is kept here.
    private final transient Throwable reason;

    public static final String TYPE = "urn:covet:problem:database-unavailable";

    DatabaseUnavailableException(String detail, Throwable cause) {
        super(new Problem(TYPE, "Database unavailable", 503, detail, null, List.of(), Map.of()));
        this.reason = cause;
    }

    /** The driver's or the pool's exception, for logs (never sent to clients). */
    @Override
    public synchronized Throwable getCause() {
        return reason;
    }
}
