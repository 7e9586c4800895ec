package dev.covet.internal;

import dev.covet.Context;
import dev.covet.Handler;
import dev.covet.SseHandler;
import java.io.IOException;

/**
 * The route handler behind {@code app.sse(path, handler)}: sets the event-stream headers, runs the
 * {@link SseHandler} with a {@link ChunkedEventStream}, and ends the response when it returns.
 *
 * <p>A send that fails because the stream closed throws {@link StreamClosedException} through the
 * user's handler; that is the normal way for a stream to end, so it is swallowed here. If the stream
 * closed because a write failed or timed out, the connection is closed (by rethrowing the
 * {@link IOException}), since the client is not reading and can be owed no more bytes.
 */
public final class SseRoute implements Handler {
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private final SseHandler handler;

    public SseRoute(SseHandler handler) {
        this.handler = handler;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        Exchange exchange = (Exchange) ctx;
        exchange.status(200)
                .contentType(CONTENT_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no"); // nginx would otherwise buffer the events
        if (exchange.head) {
            exchange.output(); // headers only, sent when this returns; the stream itself is never started
            return;
        }
        ChunkedEventStream stream = new ChunkedEventStream(exchange);
        stream.open();
        try {
            handler.handle(stream);
        } catch (StreamClosedException endedByClose) {
            // the stream closed under a send: the handler is done, which is what should happen
        } finally {
            stream.end();
        }
        if (stream.failure().isPresent()) {
            throw stream.failure().get();
        }
    }
}
