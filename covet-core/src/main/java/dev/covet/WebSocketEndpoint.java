package dev.covet;

/**
 * The event handlers of one WebSocket route, configured once when the route is added:
 *
 * <pre>{@code
 * app.ws("/ws/chat/{room}", ws -> ws
 *         .onOpen(session -> session.sendText("welcome to " + session.context().pathParam("room")))
 *         .onText((session, text) -> session.sendText("you said " + text))
 *         .onClose((session, code, reason) -> log.info("left: {} {}", code, reason)));
 * }</pre>
 *
 * <p>Handlers run on virtual threads and may block. The events of one connection are delivered one
 * at a time and in order (open, the messages as they arrived, then close exactly once); different
 * connections run in parallel. A handler that throws is reported to {@link #onError} and the
 * connection is closed with 1011 (internal error). Fragmented messages arrive reassembled; pings are
 * answered by the server. See docs/websocket.md.
 */
public interface WebSocketEndpoint {

    /** Runs when the handshake has completed; the session can send from here on. */
    WebSocketEndpoint onOpen(OpenHandler handler);

    /** Runs for each complete text message (already checked to be valid UTF-8). */
    WebSocketEndpoint onText(TextHandler handler);

    /** Runs for each complete binary message. */
    WebSocketEndpoint onBinary(BinaryHandler handler);

    /**
     * Runs once when the connection has closed, for any reason, with the close code the client sent
     * (or 1006 if the connection ended without a close frame, or the code the server closed with).
     */
    WebSocketEndpoint onClose(CloseHandler handler);

    /** Runs when another handler threw (the connection is then closed with 1011); by default the error is logged. */
    WebSocketEndpoint onError(ErrorHandler handler);

    /** Handles a new connection. */
    @FunctionalInterface
    interface OpenHandler {
        void handle(WebSocketSession session) throws Exception;
    }

    /** Handles a text message. */
    @FunctionalInterface
    interface TextHandler {
        void handle(WebSocketSession session, String text) throws Exception;
    }

    /** Handles a binary message. */
    @FunctionalInterface
    interface BinaryHandler {
        void handle(WebSocketSession session, byte[] data) throws Exception;
    }

    /** Handles the end of a connection. */
    @FunctionalInterface
    interface CloseHandler {
        void handle(WebSocketSession session, int code, String reason) throws Exception;
    }

    /** Handles a failure of another handler. */
    @FunctionalInterface
    interface ErrorHandler {
        void handle(WebSocketSession session, Throwable error) throws Exception;
    }
}
