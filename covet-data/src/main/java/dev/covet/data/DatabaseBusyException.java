package dev.covet.data;

/**
 * Every pooled connection stayed in use for the whole acquisition timeout. Thrown from any data call;
 * Covet answers it with {@code 503} and the problem type {@value #TYPE}, so a saturated pool sheds load
 * instead of queueing requests without limit.
 */
public final class DatabaseBusyException extends DatabaseProblem {
    public static final String TYPE = "urn:covet:problem:database-busy";

    DatabaseBusyException(String detail, Throwable cause) {
        super(TYPE, "Database busy", detail, cause);
    }
}
