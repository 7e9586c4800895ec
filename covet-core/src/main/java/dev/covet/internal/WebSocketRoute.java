package dev.covet.internal;

import dev.covet.Context;
import dev.covet.Handler;
import dev.covet.ProblemException;
import dev.covet.WebSocketEndpoint;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Base64;

/**
 * The route handler behind {@code app.ws(path, endpoint)}, and the endpoint's event handlers.
 *
 * <p>It runs at the end of the route's middleware chain, on a virtual thread, like any route: a
 * guard that throws refuses the handshake with its problem+json answer. Here the request is checked to
 * be a valid RFC 6455 opening handshake (426 without {@code Upgrade: websocket} or with a version
 * other than 13, 400 for a bad key, 403 for an Origin outside {@code covet.websocket.allowed-origins});
 * if it is, the exchange is marked, and {@link HttpConnection} hands the channel to
 * {@link WebSocketConnection} instead of writing a response.
 */
public final class WebSocketRoute implements Handler, WebSocketEndpoint {
    OpenHandler onOpen = session -> { };
    TextHandler onText = (session, text) -> { };
    BinaryHandler onBinary = (session, data) -> { };
    CloseHandler onClose = (session, code, reason) -> { };
    ErrorHandler onError;

    /** Whether any app in this JVM has a WebSocket route: then the server preloads the WebSocket classes. */
    static volatile boolean anyRegistered;

    public WebSocketRoute() {
        anyRegistered = true;
    }

    @Override public WebSocketEndpoint onOpen(OpenHandler handler) { this.onOpen = required(handler); return this; }
    @Override public WebSocketEndpoint onText(TextHandler handler) { this.onText = required(handler); return this; }
    @Override public WebSocketEndpoint onBinary(BinaryHandler handler) { this.onBinary = required(handler); return this; }
    @Override public WebSocketEndpoint onClose(CloseHandler handler) { this.onClose = required(handler); return this; }
    @Override public WebSocketEndpoint onError(ErrorHandler handler) { this.onError = required(handler); return this; }

    private static <T> T required(T handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler is required");
        }
        return handler;
    }

    @Override
    public void handle(Context ctx) {
        Exchange exchange = (Exchange) ctx;
        HttpHeaders headers = exchange.request.headers();
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            ctx.header("Upgrade", "websocket").header("Connection", "Upgrade");
            throw new ProblemException(426, "This is a WebSocket endpoint: send Upgrade: websocket and Connection: Upgrade");
        }
        String version = headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (!"13".equals(version == null ? null : version.trim())) {
            ctx.header("Sec-WebSocket-Version", "13");
            throw new ProblemException(426, "Unsupported WebSocket version " + version + "; only 13 is supported");
        }
        String key = headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (!validKey(key)) {
            throw new ProblemException(400, "Sec-WebSocket-Key must be 16 bytes in base64");
        }
        var allowed = exchange.connection.runtime().config.webSocketAllowedOrigins();
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (!allowed.isEmpty() && (origin == null || !allowed.contains(origin.trim()))) {
            throw new ProblemException(403, "Origin " + origin + " may not open WebSockets here");
        }
        exchange.webSocket = this;
    }

    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
