package dev.covet.internal;

import dev.covet.Context;
import dev.covet.CovetConfig;
import dev.covet.ProblemException;
import dev.covet.WebSocketSession;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded WebSocket connection: the last handler of its pipeline and the {@link WebSocketSession}
 * the application holds.
 *
 * <p>Design. The RFC 6455 mechanics are Netty's: its frame decoder (masking, reserved bits, opcodes,
 * control-frame rules, frame size: 1002/1009), {@link Utf8FrameValidator} (1007) and
 * {@link WebSocketFrameAggregator} (fragments reassembled up to {@code covet.websocket.max-message-size},
 * 1009 beyond). This class answers pings, completes close handshakes, pings the client on a timer,
 * and delivers events to the application. Events of one connection go through a small serial queue:
 * at most one virtual thread runs this connection's handlers at a time, in arrival order, and reading
 * stops while {@value #PAUSE_AT} events wait (backpressure against a slow handler). Outbound messages
 * are written at once from any thread; the bytes not yet written are counted, and past
 * {@code covet.websocket.max-queued-bytes} the overflow policy applies.
 *
 * <p>Caveats: frames sent before the 101 has been written pass the HTTP encoder untouched (it encodes
 * only HTTP messages) until the handshaker removes it. A client that sends frames before it has
 * received the 101 breaks RFC 6455 §4.1; if they reach the HTTP decoder before the upgrade they are
 * garbage to it and the handshake is answered 400.
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter implements WebSocketSession {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final int PAUSE_AT = 64;
    private static final int RESUME_AT = 8;
    private static final long CLOSE_WAIT_MILLIS = 3000;
    static final int NO_STATUS = 1005;
    static final int ABNORMAL = 1006;

    private final AppRuntime runtime;
    private final WebSocketRoute endpoint;
    private final Exchange exchange;
    private final String id = UUID.randomUUID().toString();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final List<Runnable> closeListeners = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingEvents = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final long pingNanos;
    private final long idleNanos;
    private final int maxMessageSize;
    private final long maxQueuedBytes;
    private final CovetConfig.WebSocketOverflow overflow;
    private final String subprotocol;
    private volatile boolean open = true;
    private volatile int closeCode = ABNORMAL;
    private volatile String closeReason = "";
    private boolean closed; // guarded by closeListeners
    private Channel channel;

    // ---- event-loop state ----
    private long lastReadNanos = System.nanoTime();
    private long lastPingNanos = System.nanoTime();
    private boolean awaitingPong;
    private boolean readPaused;
    private ScheduledFuture<?> ticker;

    private WebSocketConnection(AppRuntime runtime, WebSocketRoute endpoint, Exchange exchange) {
        this.runtime = runtime;
        this.endpoint = endpoint;
        this.exchange = exchange;
        CovetConfig config = runtime.config;
        // the route's own limits where it set them, the app's otherwise
        this.pingNanos = or(endpoint.pingInterval, config.webSocketPingInterval()).toNanos();
        this.idleNanos = or(endpoint.idleTimeout, config.webSocketIdleTimeout()).toNanos();
        this.maxMessageSize = maxMessageSize(endpoint, config);
        this.maxQueuedBytes = or(endpoint.maxQueuedBytes, config.webSocketMaxQueuedBytes());
        this.overflow = or(endpoint.overflow, config.webSocketOverflow());
        this.subprotocol = exchange.webSocketSubprotocol;
    }

    private static <T> T or(T routeValue, T appValue) {
        return routeValue != null ? routeValue : appValue;
    }

    private static int maxMessageSize(WebSocketRoute endpoint, CovetConfig config) {
        return or(endpoint.maxMessageSize, config.webSocketMaxMessageSize());
    }

    /**
     * On the I/O thread, from {@link HttpConnection} (already removed from the pipeline): answers the
     * validated handshake with 101 and rebuilds the pipeline for frames.
     */
    static void upgrade(Channel channel, Exchange exchange, AppRuntime runtime) {
        CovetConfig config = runtime.config;
        HttpHeaders requestHeaders = exchange.request.headers();
        WebSocketServerExtension deflate = config.webSocketCompression() ? negotiateDeflate(requestHeaders) : null;
        HttpHeaders responseHeaders = new DefaultHttpHeaders();
        responseHeaders.add(exchange.responseHeaders); // e.g. a cookie set by middleware
        responseHeaders.remove(HttpHeaderNames.CONTENT_TYPE).remove(HttpHeaderNames.CONTENT_LENGTH);
        if (exchange.webSocketSubprotocol != null) {
            responseHeaders.set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, exchange.webSocketSubprotocol);
        }
        int maxMessageSize = maxMessageSize(exchange.webSocket, config);
        if (deflate != null) {
            responseHeaders.set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, headerValue(deflate.newReponseData()));
        }
        WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessageSize)
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(deflate != null) // without an extension, any reserved bit is a 1002
                .closeOnProtocolViolation(true)
                .withUTF8Validator(false) // added below, after decompression
                .build();
        var handshaker = new WebSocketServerHandshaker13(exchange.request.uri(), null, decoderConfig);
        // The subprotocol was chosen by WebSocketRoute and is in responseHeaders; Netty must not see the
        // offer, or it would choose again and log the offer (which may carry a bearer token) at debug.
        HttpHeaders handshakeHeaders = new DefaultHttpHeaders().add(requestHeaders).remove(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, exchange.request.uri(),
                Unpooled.EMPTY_BUFFER, handshakeHeaders, EmptyHttpHeaders.INSTANCE);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.remove("timeouts"); // HTTP's clocks; a WebSocket has its own (ping, idle)
        WebSocketConnection connection = new WebSocketConnection(runtime, exchange.webSocket, exchange);
        // The handshaker replaces the HTTP decoder with "wsdecoder", puts "wsencoder" before the HTTP
        // encoder, writes the 101 and removes the HTTP encoder once that is written.
        handshaker.handshake(channel, request, responseHeaders, channel.newPromise());
        // The frame decoder writes close frames itself (protocol errors): they must pass an encoder, so
        // the encoder moves in front of it.
        pipeline.remove("wsencoder");
        pipeline.addBefore("wsdecoder", "wsencoder", new WebSocket13FrameEncoder(false));
        if (deflate != null) {
            pipeline.addLast("ws-inflate", deflate.newExtensionDecoder());
            pipeline.addLast("ws-deflate", deflate.newExtensionEncoder());
        }
        pipeline.addLast("ws-utf8", new Utf8FrameValidator(true));
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(maxMessageSize));
        pipeline.addLast("websocket", connection);
    }

    /** Loads what the first upgrade needs, so that it does not happen on an I/O thread (see NettyServer). */
    static void preloadClasses() {
        var handshaker = new WebSocketServerHandshaker13("/", null, WebSocketDecoderConfig.newBuilder().build());
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
                .set(HttpHeaderNames.HOST, "localhost")
                .set(HttpHeaderNames.UPGRADE, "websocket").set(HttpHeaderNames.CONNECTION, "Upgrade");
        var channel = new io.netty.channel.embedded.EmbeddedChannel(
                new io.netty.handler.codec.http.HttpRequestDecoder(), new io.netty.handler.codec.http.HttpResponseEncoder());
        handshaker.handshake(channel, request);
        request.release();
        channel.finishAndReleaseAll();
        new WebSocket13FrameEncoder(false);
        new Utf8FrameValidator(true);
        new WebSocketFrameAggregator(1024);
        WebSocketServerExtension deflate = new PerMessageDeflateServerExtensionHandshaker()
                .handshakeExtension(WebSocketExtensionUtil.extractExtensions("permessage-deflate").getFirst());
        deflate.newExtensionDecoder();
        deflate.newExtensionEncoder();
        List.of(new TextWebSocketFrame("x"), new BinaryWebSocketFrame(), new PingWebSocketFrame(), new PongWebSocketFrame(),
                new CloseWebSocketFrame(1000, "")).forEach(ReferenceCountUtil::release);
    }

    private static WebSocketServerExtension negotiateDeflate(HttpHeaders headers) {
        String offered = headers.get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (offered == null) {
            return null;
        }
        var handshaker = new PerMessageDeflateServerExtensionHandshaker();
        for (WebSocketExtensionData data : WebSocketExtensionUtil.extractExtensions(offered)) {
            WebSocketServerExtension extension = handshaker.handshakeExtension(data);
            if (extension != null) {
                return extension;
            }
        }
        return null;
    }

    private static String headerValue(WebSocketExtensionData data) {
        StringBuilder value = new StringBuilder(data.name());
        for (var parameter : data.parameters().entrySet()) {
            value.append("; ").append(parameter.getKey());
            if (parameter.getValue() != null) {
                value.append('=').append(parameter.getValue());
            }
        }
        return value.toString();
    }

    // ---- lifecycle on the I/O thread ----------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        runtime.webSockets.add(this);
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(pingNanos, idleNanos) / 2);
        ticker = ctx.executor().scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        dispatch(() -> endpoint.onOpen.handle(this));
        if (!channel.isActive()) {
            finish();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        try {
            if (msg instanceof WebSocketFrame frame && frame.rsv() != 0) {
                // Only with permessage-deflate does the decoder let reserved bits through; the inflater
                // clears RSV1 on the frames it decompressed, so any bit left here is not ours (§5.2).
                closeAbruptly(WebSocketCloseStatus.PROTOCOL_ERROR.code(), "Reserved bits set");
                return;
            }
            switch (msg) {
                case TextWebSocketFrame text -> {
                    String value = text.text();
                    dispatch(() -> endpoint.onText.handle(this, value));
                }
                case BinaryWebSocketFrame binary -> {
                    byte[] value = ByteBufUtil.getBytes(binary.content());
                    dispatch(() -> endpoint.onBinary.handle(this, value));
                }
                case PingWebSocketFrame ping -> {
                    if (!closeSent.get()) {
                        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                    }
                }
                case PongWebSocketFrame pong -> awaitingPong = false;
                case CloseWebSocketFrame close -> closeReceived(close);
                default -> { }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The client's close: echo its code (RFC 6455 §5.5.1) unless we started closing, then end the connection. */
    private void closeReceived(CloseWebSocketFrame close) {
        int code = close.statusCode();
        if (closeSent.compareAndSet(false, true)) {
            closeCode = code < 0 ? NO_STATUS : code;
            closeReason = close.reasonText();
            open = false;
            CloseWebSocketFrame reply = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
            channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    private void tick() {
        long now = System.nanoTime();
        if (now - lastReadNanos > idleNanos) {
            closeAbruptly(1001, "Idle timeout");
        } else if (now - lastPingNanos >= pingNanos) {
            if (awaitingPong) {
                closeAbruptly(1001, "No pong");
                return;
            }
            awaitingPong = true;
            lastPingNanos = now;
            channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == NettyServer.DRAIN) {
            close(1001, "Server stopping");
        } else if (event instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client's end of the stream, without a close frame: nothing more can arrive
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        finish();
    }

    private void finish() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        open = false;
        closeSent.set(true);
        synchronized (closeListeners) {
            if (closed) {
                return;
            }
            closed = true;
        }
        runtime.webSockets.remove(this);
        int code = closeCode;
        String reason = closeReason;
        dispatch(() -> {
            try {
                endpoint.onClose.handle(this, code, reason);
            } finally {
                runCloseListeners();
            }
        });
    }

    private void runCloseListeners() {
        List<Runnable> actions;
        synchronized (closeListeners) {
            actions = List.copyOf(closeListeners);
            closeListeners.clear();
        }
        for (Runnable action : actions) {
            runListener(action);
        }
    }

    private static void runListener(Runnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            LOG.warn("A WebSocket close listener failed", e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            // Netty's decoder or UTF-8 validator has already sent the close frame (1002, 1007, 1009)
            closeSent.set(true);
            open = false;
            closeCode = corrupt.closeStatus().code();
            closeReason = String.valueOf(corrupt.getMessage());
            LOG.debug("WebSocket protocol error from {}: {}", channel.remoteAddress(), cause.toString());
        } else if (cause instanceof TooLongFrameException) {
            closeAbruptly(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(),
                    "Message larger than " + maxMessageSize + " bytes");
        } else if (cause instanceof IOException) {
            LOG.debug("WebSocket error from {}: {}", channel.remoteAddress(), cause.toString());
            ctx.close();
        } else {
            LOG.warn("Unexpected error on WebSocket from {}; closing it", channel.remoteAddress(), cause);
            closeAbruptly(1011, "Internal error");
        }
    }

    /** Sends a close frame and ends the connection without waiting for the client's answer. */
    private void closeAbruptly(int code, String reason) {
        if (closeSent.compareAndSet(false, true)) {
            open = false;
            closeCode = code;
            closeReason = reason;
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    // ---- events on virtual threads ------------------------------------------------------------

    private interface Event {
        void run() throws Exception;
    }

    /** Queues an application event; at most one runs at a time for this connection. */
    private void dispatch(Event event) {
        events.add(() -> runEvent(event));
        int pending = pendingEvents.incrementAndGet();
        if (pending == 1) {
            try {
                runtime.handlers.execute(this::drainEvents);
            } catch (RejectedExecutionException stopped) {
                Thread.ofVirtual().start(this::drainEvents); // the server is stopping: still deliver onClose
            }
        } else if (pending >= PAUSE_AT && !readPaused && channel != null && channel.eventLoop().inEventLoop()) {
            readPaused = true;
            channel.config().setAutoRead(false);
        }
    }

    private void drainEvents() {
        do {
            Runnable next = events.poll();
            if (next != null) {
                next.run();
            }
        } while (decrementPending() != 0);
    }

    private int decrementPending() {
        int left = pendingEvents.decrementAndGet();
        if (left == RESUME_AT && channel != null) {
            channel.eventLoop().execute(() -> {
                if (readPaused) {
                    readPaused = false;
                    channel.config().setAutoRead(true);
                }
            });
        }
        return left;
    }

    private void runEvent(Event event) {
        try {
            event.run();
        } catch (ProblemException refused) {
            if (refused.problem().status() >= 500) {
                failed(refused);
            } else {
                refusedMessage(refused);
            }
        } catch (Throwable failure) {
            failed(failure);
        }
    }

    /**
     * A handler refused what the client sent (a 4xx {@link ProblemException}, e.g. from
     * {@link #readJson}): the client's fault, not the server's, so the connection is closed with 1008
     * (policy violation) and the problem's detail as the reason, and nothing is logged above debug.
     */
    private void refusedMessage(ProblemException refused) {
        String detail = refused.problem().detail() != null ? refused.problem().detail() : refused.problem().title();
        LOG.debug("WebSocket handler on {} refused a message: {}", exchange.path(), detail);
        if (open) {
            close(1008, truncateUtf8(detail, 123));
        }
    }

    /** {@code text} cut to at most {@code maxBytes} of UTF-8, never inside a character. */
    static String truncateUtf8(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes - 3) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end) + "...";
    }

    private void failed(Throwable failure) {
        try {
            if (endpoint.onError != null) {
                endpoint.onError.handle(this, failure);
            } else {
                LOG.error("WebSocket handler failed on {}; closing with 1011", exchange.path(), failure);
            }
        } catch (Throwable secondary) {
            secondary.addSuppressed(failure);
            LOG.error("WebSocket error handler failed on {}", exchange.path(), secondary);
        }
        if (open) {
            close(1011, "Internal error");
        }
    }

    // ---- WebSocketSession ---------------------------------------------------------------------

    @Override public String id() { return id; }
    @Override public Context context() { return exchange; }
    @Override public boolean isOpen() { return open; }
    @Override public Optional<String> subprotocol() { return Optional.ofNullable(subprotocol); }

    @Override
    public <T> T readJson(String text, Class<T> type) {
        return runtime.json.read(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), type);
    }

    @Override
    public String writeJson(Object value) {
        return new String(runtime.json.writeBytes(value), StandardCharsets.UTF_8);
    }

    @Override
    public boolean sendText(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return send(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)), bytes.length);
    }

    @Override
    public boolean sendBinary(byte[] data) {
        return send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data.clone())), data.length);
    }

    @Override
    public boolean sendJson(Object value) {
        byte[] bytes = runtime.json.writeBytes(value);
        return send(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)), bytes.length);
    }

    private boolean send(WebSocketFrame frame, long size) {
        if (!open) {
            frame.release();
            return false;
        }
        long queued = queuedBytes.addAndGet(size);
        if (queued > maxQueuedBytes) {
            queuedBytes.addAndGet(-size);
            frame.release();
            if (overflow == CovetConfig.WebSocketOverflow.CLOSE) {
                onLoop(() -> closeAbruptly(1008, "Client too slow: outbound queue full"));
            }
            return false;
        }
        channel.writeAndFlush(frame).addListener(f -> queuedBytes.addAndGet(-size));
        return true;
    }

    @Override
    public void close() {
        close(1000, "");
    }

    @Override
    public void close(int code, String reason) {
        if (!WebSocketCloseStatus.isValidStatusCode(code) || code == NO_STATUS || code == ABNORMAL || code == 1015) {
            throw new IllegalArgumentException("Close code " + code + " may not be sent (RFC 6455 §7.4)");
        }
        String text = reason == null ? "" : reason;
        if (text.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("A close reason is at most 123 bytes in UTF-8");
        }
        if (!closeSent.compareAndSet(false, true)) {
            return;
        }
        open = false;
        closeCode = code;
        closeReason = text;
        channel.writeAndFlush(new CloseWebSocketFrame(code, text)).addListener(f -> {
            if (f.isSuccess()) {
                channel.eventLoop().schedule(() -> { channel.close(); }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                channel.close();
            }
        });
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            try {
                channel.eventLoop().execute(task);
            } catch (RejectedExecutionException stopped) {
                channel.close();
            }
        }
    }

    @Override
    public WebSocketSession attribute(String key, Object value) {
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> attribute(String key) {
        return Optional.ofNullable((T) attributes.get(key));
    }

    @Override
    public void onClosed(Runnable action) {
        synchronized (closeListeners) {
            if (!closed) {
                closeListeners.add(action);
                return;
            }
        }
        runListener(action);
    }
}
