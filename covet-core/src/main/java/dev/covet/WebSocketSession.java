package dev.covet;

import java.util.Optional;

/**
 * One open WebSocket connection, handed to the handlers of a {@link WebSocketEndpoint}.
 *
 * <p><b>Sending.</b> The send methods may be called from any thread; each message is queued on the
 * connection whole, in call order, and they do not block. The bytes queued but not yet written to a
 * slow client are bounded by {@code covet.websocket.max-queued-bytes} (or the route's
 * {@link WebSocketEndpoint#outboundQueue}); past it, the overflow policy either closes the connection
 * ({@code CLOSE}, 1008) or drops the message ({@code DROP}). Sending on a closed session does nothing and returns false.
 */
public interface WebSocketSession {

    /** A unique id for this connection (unique within the JVM). */
    String id();

    /** The upgrade request: path parameters, query, headers and attributes set by middleware. */
    Context context();

    /**
     * The subprotocol chosen in the handshake (see {@link WebSocketEndpoint#subprotocols}); empty if
     * the client offered none.
     */
    Optional<String> subprotocol();

    /**
     * Reads a text message as JSON into {@code type} with the app's JSON codec (the one
     * {@link #sendJson} and HTTP bodies use; unknown fields are refused).
     *
     * @throws ProblemException 400 naming where the JSON is malformed or does not fit the type; a
     *     handler that lets it escape closes the connection with 1008 and that detail as the reason
     *     (catch it to answer the client and keep the connection instead)
     */
    <T> T readJson(String text, Class<T> type);

    /**
     * {@code value} as JSON text, written by the app's JSON codec: for a message serialized once and
     * sent to many connections (a room broadcast).
     */
    String writeJson(Object value);

    /**
     * Sends a text message.
     *
     * @return false if the session was closed or the message was dropped by the overflow policy
     */
    boolean sendText(String text);

    /**
     * Sends a binary message.
     *
     * @return false if the session was closed or the message was dropped by the overflow policy
     */
    boolean sendBinary(byte[] data);

    /**
     * Sends {@code value} as a JSON text message, written by the app's JSON codec.
     *
     * @return false if the session was closed or the message was dropped by the overflow policy
     */
    boolean sendJson(Object value);

    /**
     * Starts the close handshake with {@code code} and {@code reason}; the connection ends when the
     * client answers (or after a few seconds if it does not). Does nothing if already closing.
     *
     * @throws IllegalArgumentException if {@code code} may not be sent (RFC 6455 §7.4) or the reason
     *     is longer than 123 bytes in UTF-8
     */
    void close(int code, String reason);

    /** Closes normally (1000). */
    void close();

    /** Whether messages can still be sent: false once either side started closing. */
    boolean isOpen();

    /** Stores a value on this connection (for the application: a user id, a nickname). */
    WebSocketSession attribute(String key, Object value);

    /** A value stored with {@link #attribute(String, Object)}. */
    <T> Optional<T> attribute(String key);

    /**
     * Runs {@code action} once when the connection has closed, for any reason; at once if it already
     * has. For modules that keep per-connection state (rooms). Exceptions it throws are logged.
     */
    void onClosed(Runnable action);
}
