package dev.covet.data;

import dev.covet.Problem;
import dev.covet.ProblemException;
import java.util.List;
import java.util.Map;

/**
 * A 503 about the database ({@link DatabaseBusyException}, {@link DatabaseUnavailableException}): the
 * problem goes to the client, the driver's or pool's exception only to the logs.
 */
abstract sealed class DatabaseProblem extends ProblemException permits DatabaseBusyException, DatabaseUnavailableException {
    // ProblemException fixes its cause to null (no stack trace cost); the driver's error is kept here.
    private final transient Throwable reason;

    DatabaseProblem(String type, String title, String detail, Throwable cause) {
        super(new Problem(type, title, 503, detail, null, List.of(), Map.of()));
        this.reason = cause;
    }

    /** The driver's or the pool's exception, for logs (never sent to clients). */
    @Override
    public synchronized Throwable getCause() {
        return reason;
    }
}
