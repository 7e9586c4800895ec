package dev.covet.bench;

/**
 * Every way a request can fail. Each failure is counted under exactly one kind, and its elapsed
 * time goes into the same latency histogram as the successes: a failure is never dropped from a
 * figure to make the figure look better.
 */
public enum ErrorKind {
    /** A connection attempt failed (refused, unreachable, or no answer within the timeout). */
    CONNECT("connect"),
    /** No complete response arrived within the per-request timeout; the connection is then closed. */
    TIMEOUT("timeout"),
    /** The connection was closed or reset while the request was in flight. */
    RESET("reset"),
    /** The response status was not 2xx. */
    NON_2XX("non-2xx"),
    /** A 2xx status other than the one the scenario expects. */
    WRONG_STATUS("wrong-status"),
    /** The response body differed from the expected bytes. */
    WRONG_BODY("wrong-body"),
    /** The response could not be parsed as HTTP/1.1, or arrived with no request outstanding. */
    PROTOCOL("protocol");

    private final String label;

    ErrorKind(String label) {
        this.label = label;
    }

    /** The name used in every output (results.json, summary.md, report.html). */
    public String label() {
        return label;
    }
}
