package dev.covet.data;

import dev.covet.Problem;
import dev.covet.ProblemException;
import java.util.List;
import java.util.Map;

/**
 * Every pooled connection stayed in use for the whole acquisition timeout. Thrown from any data call;
 * Covet answers it with {@code 503} and the problem type {@value #TYPE}, so a saturated pool sheds load
 * instead of queueing requests without limit.
 */
public final class DatabaseBusyException extends ProblemException {
    // ProblemException fixes its cause to null (no stack trace cost); the driver's error is kept here.
    private final transient Throwable reason;

    public static final String TYPE = "urn:covet:problem:database-busy";

    DatabaseBusyException(String detail, Throwable cause) {
        super(new Problem(TYPE, "Database busy", 503, detail, null, List.of(), Map.of()));
        this.reason = cause;
    }

    /** The driver's or the pool's exception, for logs (never sent to clients). */
    @Override
    public synchronized Throwable getCause() {
        return reason;
    }
}
