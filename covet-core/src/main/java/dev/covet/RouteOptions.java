package dev.covet;

import java.util.OptionalLong;

/**
 * Per-route settings. Immutable; each method returns a new instance.
 *
 * <pre>{@code
 * app.get("/plaintext", ctx -> ctx.text("Hello"), RouteOptions.create().nonBlocking());
 * app.post("/upload", this::upload, RouteOptions.create().maxBodySize(100 * 1024 * 1024));
 * }</pre>
 */
public final class RouteOptions {
    private static final RouteOptions DEFAULT = new RouteOptions(false, -1);

    private final boolean nonBlocking;
    private final long maxBodySize;

    private RouteOptions(boolean nonBlocking, long maxBodySize) {
        this.nonBlocking = nonBlocking;
        this.maxBodySize = maxBodySize;
    }

    /** The defaults: runs on a virtual thread, body limit from {@code covet.max-body-size}. */
    public static RouteOptions create() {
        return DEFAULT;
    }

    /**
     * Runs the handler (and its middleware) on the I/O thread instead of a virtual thread. Only for
     * short, pure-CPU handlers: blocking here stalls every connection of that I/O thread, and the
     * blocked-loop watchdog will report it. The request body is read in full before the handler runs.
     */
    public RouteOptions nonBlocking() {
        return new RouteOptions(true, maxBodySize);
    }

    /**
     * The largest request body this route accepts, in bytes; larger ones are answered 413 before they
     * are read in full.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public RouteOptions maxBodySize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxBodySize must be >= 0, was " + bytes);
        }
        return new RouteOptions(nonBlocking, bytes);
    }

    public boolean isNonBlocking() {
        return nonBlocking;
    }

    /** The route's own body limit, if one was set. */
    public OptionalLong maxBodySize() {
        return maxBodySize < 0 ? OptionalLong.empty() : OptionalLong.of(maxBodySize);
    }
}
