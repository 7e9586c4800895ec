package dev.covet;

/**
 * Handles one Server-Sent Events connection (see {@link RouteGroup#sse}). Runs on its own virtual
 * thread and may block; the stream ends when it returns. Anything it throws before the first event
 * becomes a problem response, as for any handler; after that the connection is closed.
 */
@FunctionalInterface
public interface SseHandler {
    void handle(SseStream sse) throws Exception;
}
