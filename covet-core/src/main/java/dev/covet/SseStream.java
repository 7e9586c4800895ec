package dev.covet;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One open Server-Sent Events response ({@code text/event-stream}), handed to an {@link SseHandler}.
 *
 * <pre>{@code
 * app.sse("/events/{room}", sse -> {
 *     sse.send("welcome to " + sse.context().pathParam("room"));
 *     for (int i = 1; sse.isOpen(); i++) {
 *         sse.event("tick").id(String.valueOf(i)).data(Instant.now().toString()).send();
 *         Thread.sleep(1000);
 *     }
 * });
 * }</pre>
 *
 * <p><b>Sending.</b> Each event is written and flushed at once. The status line and headers go out
 * with the first event or comment (or at {@link #awaitClose()}), so until then the handler may still
 * answer with an error by throwing a {@link ProblemException}. Sends may come from any thread (for
 * example a broadcaster while the handler waits in {@link #awaitClose()}); each event is written
 * whole, never interleaved with another.
 *
 * <p><b>Backpressure.</b> A send blocks while the client is not reading and the connection's
 * outbound buffer is full, so a slow client slows its senders down and the server never buffers
 * without limit; if the client reads nothing for {@code covet.write-timeout} the send fails and
 * the connection is closed.
 *
 * <p><b>Ending.</b> Every send method throws {@link UncheckedIOException} once the stream is closed:
 * the client went away, a write failed or timed out, {@link #close()} was called, the handler
 * returned, or the server is stopping. Left uncaught it simply ends the handler (it is not logged as
 * an error). A loop can instead test {@link #isOpen()}. A client that vanishes without closing its
 * connection is only noticed when a write fails, so long-idle streams should send a {@link #comment}
 * every 15–30 seconds.
 */
public interface SseStream {

    /** The request: path parameters, query, headers, attributes set by middleware. */
    Context context();

    /** The {@code Last-Event-ID} header a reconnecting browser sends: the id of the last event it saw. */
    Optional<String> lastEventId();

    /**
     * Sends an unnamed event (browsers dispatch it as {@code message}); lines of {@code data} become
     * separate {@code data:} lines and arrive joined by {@code \n}.
     *
     * @throws UncheckedIOException if the stream is closed or the write fails
     */
    void send(String data);

    /**
     * Starts an event of type {@code name}; set its fields and call {@link Event#send()}.
     *
     * @throws IllegalArgumentException if {@code name} is empty or contains CR or LF
     */
    Event event(String name);

    /** Starts an unnamed event (type {@code message}), for example to give it an id. */
    Event event();

    /**
     * Sends a comment line ({@code : text}), which clients ignore: use it as a keep-alive that also
     * detects a vanished client.
     *
     * @throws UncheckedIOException if the stream is closed or the write fails
     */
    void comment(String text);

    /** Whether sends may still succeed: false once the stream was closed for any reason listed above. */
    boolean isOpen();

    /**
     * Runs {@code action} once when the stream closes, whatever the reason; at once (on this thread) if
     * it already has. It runs on the handler's thread when the handler returns, or on a fresh virtual
     * thread when the client disconnects or the server stops. Exceptions it throws are logged.
     */
    void onClose(Runnable action);

    /**
     * Sends the headers if nothing was sent yet, then blocks until the stream closes (client gone,
     * {@link #close()}, server stopping). For handlers whose events come from other threads.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void awaitClose() throws InterruptedException;

    /**
     * Closes the stream from any thread: later sends fail, {@link #awaitClose()} returns, onClose actions
     * run. The response ends (with its final chunk, keeping the connection) when the handler returns.
     */
    void close();

    /** An event being built; not thread-safe, send it from the thread that built it. */
    interface Event {

        /**
         * The event id, which the browser sends back as {@code Last-Event-ID} when it reconnects; an
         * empty id resets it.
         *
         * @throws IllegalArgumentException if {@code id} contains CR, LF or NUL
         */
        Event id(String id);

        /**
         * Tells the browser how long to wait before reconnecting if the connection drops.
         *
         * @throws IllegalArgumentException if {@code delay} is negative
         */
        Event retry(Duration delay);

        /** The data, replacing any set before; lines become separate {@code data:} lines. */
        Event data(String data);

        /** The data as JSON (written on one line), replacing any set before. */
        Event json(Object value);

        /**
         * Writes and flushes the event. An event without data is not dispatched by browsers, but its
         * id and retry still take effect.
         *
         * @throws IllegalStateException if no field at all was set
         * @throws UncheckedIOException if the stream is closed or the write fails
         */
        void send();
    }
}
