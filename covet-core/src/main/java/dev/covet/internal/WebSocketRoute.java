package dev.covet.internal;

import dev.covet.Context;
import dev.covet.CovetConfig;
import dev.covet.Handler;
import dev.covet.ProblemException;
import dev.covet.WebSocketEndpoint;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The route handler behind {@code app.ws(path, endpoint)}, and the endpoint's event handlers.
 *
 * <p>It runs at the end of the route's middleware chain, on a virtual thread, like any route: a
 * guard that throws refuses the handshake with its problem+json answer. Here the request is checked to
 * be a valid RFC 6455 opening handshake (426 without {@code Upgrade: websocket} or with a version
 * other than 13, 400 for a bad key, 403 for an Origin outside {@code covet.websocket.allowed-origins});
 * if it is, the exchange is marked, and {@link HttpConnection} hands the channel to
 * {@link WebSocketConnection} instead of writing a response. The subprotocol is chosen here too, so
 * that a client offering none the route speaks is refused with a problem+json 400.
 *
 * <p>The per-route limits are null where the route keeps the app's setting; {@link WebSocketConnection}
 * resolves them against {@link CovetConfig} at the upgrade.
 */
public final class WebSocketRoute implements Handler, WebSocketEndpoint {
    OpenHandler onOpen = session -> { };
    TextHandler onText = (session, text) -> { };
    BinaryHandler onBinary = (session, data) -> { };
    CloseHandler onClose = (session, code, reason) -> { };
    ErrorHandler onError;
    List<String> subprotocols = List.of();
    Integer maxMessageSize;
    Duration idleTimeout;
    Duration pingInterval;
    Long maxQueuedBytes;
    CovetConfig.WebSocketOverflow overflow;

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

    @Override
    public WebSocketEndpoint subprotocols(String... names) {
        List<String> checked = new ArrayList<>();
        for (String name : Objects.requireNonNull(names, "names")) {
            if (name == null || name.isEmpty() || !name.chars().allMatch(WebSocketRoute::tokenChar)) {
                throw new IllegalArgumentException("A subprotocol name must be a non-empty HTTP token, was '" + name + "'");
            }
            checked.add(name);
        }
        this.subprotocols = List.copyOf(checked);
        return this;
    }

    @Override
    public WebSocketEndpoint maxMessageSize(int bytes) {
        if (bytes < 125) {
            throw new IllegalArgumentException("maxMessageSize must be >= 125, was " + bytes);
        }
        this.maxMessageSize = bytes;
        return this;
    }

    @Override public WebSocketEndpoint idleTimeout(Duration timeout) { this.idleTimeout = positive("idleTimeout", timeout); return this; }
    @Override public WebSocketEndpoint pingInterval(Duration interval) { this.pingInterval = positive("pingInterval", interval); return this; }

    @Override
    public WebSocketEndpoint outboundQueue(long bytes, CovetConfig.WebSocketOverflow policy) {
        if (bytes < 1) {
            throw new IllegalArgumentException("The outbound queue limit must be >= 1 byte, was " + bytes);
        }
        if (policy == null) {
            throw new IllegalArgumentException("An overflow policy is required");
        }
        this.maxQueuedBytes = bytes;
        this.overflow = policy;
        return this;
    }

    private static Duration positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
        return d;
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean tokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

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
        exchange.webSocketSubprotocol = chooseSubprotocol(headers);
        exchange.webSocket = this;
    }

    /**
     * The first subprotocol the client offers that this route speaks; null if it offers none.
     * Offered values never appear in the refusal or in logs: a client may carry a token among them
     * ({@code Sec-WebSocket-Protocol: bearer, <token>}).
     *
     * @throws ProblemException 400 if the client offers subprotocols and none is spoken here
     */
    private String chooseSubprotocol(HttpHeaders headers) {
        List<String> offered = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        boolean anyOffered = false;
        for (String header : offered) {
            for (String candidate : header.split(",")) {
                String name = candidate.trim();
                if (name.isEmpty()) {
                    continue;
                }
                anyOffered = true;
                if (subprotocols.contains(name)) {
                    return name;
                }
            }
        }
        if (!anyOffered) {
            return null;
        }
        throw new ProblemException(400, subprotocols.isEmpty()
                ? "This endpoint speaks no subprotocol; connect without Sec-WebSocket-Protocol"
                : "None of the offered subprotocols is spoken here; offer one of: " + String.join(", ", subprotocols));
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
