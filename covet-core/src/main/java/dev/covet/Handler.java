package dev.covet;

/**
 * Handles one request. Runs on a virtual thread unless its route is declared
 * {@link RouteOptions#nonBlocking() non-blocking}, so it may block on JDBC, files or remote calls.
 * Anything it throws becomes a problem response (see {@link Covet#exception}).
 */
@FunctionalInterface
public interface Handler {
    void handle(Context ctx) throws Exception;
}
