package dev.covet;

import java.time.Duration;

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
 * connection is closed with 1011 (internal error); one that throws a {@link ProblemException} with a
 * 4xx status refuses what the client sent, and the connection is closed with 1008 and the problem's
 * detail instead (not reported to {@code onError}). Fragmented messages arrive reassembled; pings are
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

    /**
     * Runs when another handler threw (the connection is then closed with 1011); by default the error
     * is logged. A 4xx {@link ProblemException} is the client's fault and does not come here (1008).
     */
    WebSocketEndpoint onError(ErrorHandler handler);

    /**
     * The subprotocols (RFC 6455 {@code Sec-WebSocket-Protocol}) this route speaks. Of the ones a
     * client offers, the first (in the client's order) that is listed here is chosen, sent back in
     * the 101 and visible as {@link WebSocketSession#subprotocol()}. A client that offers
     * subprotocols of which none is listed is refused with 400: per RFC 6455 §4.1 such a client
     * (every browser) fails the connection when the answer names none, so accepting would only hide
     * the reason. A client that offers none is accepted without a subprotocol. Default: none, so any
     * offer is refused.
     *
     * @throws IllegalArgumentException if a name is empty or not an HTTP token (RFC 9110 §5.6.2)
     */
    WebSocketEndpoint subprotocols(String... names);

    /**
     * Largest message (all fragments together) in bytes for this route; larger closes with 1009.
     * Default: {@code covet.websocket.max-message-size}.
     *
     * @throws IllegalArgumentException if below 125 (a control frame must fit)
     */
    WebSocketEndpoint maxMessageSize(int bytes);

    /**
     * A connection of this route that receives nothing (not even a pong) for this long is closed with
     * 1001. Default: {@code covet.websocket.idle-timeout}.
     *
     * @throws IllegalArgumentException if not positive
     */
    WebSocketEndpoint idleTimeout(Duration timeout);

    /**
     * How often the server pings connections of this route (one that has not answered the previous
     * ping is closed with 1001). Default: {@code covet.websocket.ping-interval}.
     *
     * @throws IllegalArgumentException if not positive
     */
    WebSocketEndpoint pingInterval(Duration interval);

    /**
     * Bytes a connection of this route may have queued for a slow client before {@code policy}
     * applies: {@code CLOSE} the connection (1008) or {@code DROP} the message. Default:
     * {@code covet.websocket.max-queued-bytes} and {@code covet.websocket.overflow-policy}.
     *
     * @throws IllegalArgumentException if {@code bytes} is below 1 or {@code policy} is null
     */
    WebSocketEndpoint outboundQueue(long bytes, CovetConfig.WebSocketOverflow policy);

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
