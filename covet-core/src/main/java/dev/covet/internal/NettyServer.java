package dev.covet.internal;

import dev.covet.CovetConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the listening socket, builds each connection's pipeline, and shuts down gracefully. */
public final class NettyServer {
    private static final Logger LOG = LoggerFactory.getLogger("dev.covet");
    /** Event fired through every connection when the server starts draining. */
    static final Object DRAIN = new Object();
    private static final byte[] RESPONSE_503 = response503();

    private final AppRuntime runtime;
    private final TransportChoice transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ChannelGroup connections = new DefaultChannelGroup("covet-connections", GlobalEventExecutor.INSTANCE);
    private final LoopWatchdog watchdog;
    private final Channel serverChannel;
    private final HttpDecoderConfig decoderConfig;
    private final KnownPaths knownPaths;

    private NettyServer(AppRuntime runtime, TransportChoice transport, CompletableFuture<Void> preload)
            throws InterruptedException {
        this.runtime = runtime;
        this.transport = transport;
        CovetConfig config = runtime.config;
        int ioThreads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        // The accept thread is not a daemon: a running server keeps the JVM alive until stop().
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("covet-accept", false),
                transport.ioHandlerFactory());
        this.workerGroup = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("covet-io", true),
                transport.ioHandlerFactory());
        this.decoderConfig = decoderConfig(config);
        this.knownPaths = new KnownPaths(runtime.router.exactPaths());
        DateHeader.refresh();
        DateHeader.refreshOn(bossGroup); // the accept loop is idle between connections
        this.watchdog = new LoopWatchdog(workerGroup, config.blockedLoopThreshold());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // a client that half-closes after its requests still gets their responses (HttpConnection)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accept(ch);
                    }
                });
        preload.join();
        this.serverChannel = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
        watchdog.start();
        if (WebSocketRoute.anyRegistered) {
            preloadWebSocketClassesInBackground();
        }
    }

    /**
     * Starts loading and initialising the classes every connection needs, on a background thread, so
     * that their static initialisers (a few hundred milliseconds cold) run before the first connection
     * and not on an I/O thread at the first request, where the blocked-loop watchdog would rightly
     * complain and the first client would wait. Started when the app is created, it runs while the app
     * adds its routes, builds its JSON codec and loads the transport (other cold starts); {@link #start}
     * waits for it before binding. Only classes matter here, so the decoder gets default settings.
     */
    public static CompletableFuture<Void> preloadConnectionClasses() {
        return CompletableFuture.runAsync(NettyServer::loadConnectionClasses,
                task -> Thread.ofPlatform().daemon().name("covet-preload").start(task));
    }

    private static void loadConnectionClasses() {
        new StrictHttpRequestDecoder(new HttpDecoderConfig(), KnownPaths.NONE);
        new ResponseEncoder();
        DateHeader.now();
        io.netty.handler.codec.http.HttpResponseStatus.valueOf(200);
        new io.netty.handler.codec.http.DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                io.netty.handler.codec.http.HttpResponseStatus.OK).release();
        // The allocator's first chunk initialises Netty's JFR event classes and with them the JDK's JFR
        // metadata: 77-90 ms that the watchdog caught blocking the I/O thread at the first request.
        io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(256).release();
    }

    /**
     * The WebSocket classes (a whole handshake's worth, 100+ ms cold) load on a background thread once the
     * port is bound, so plain HTTP answers do not wait for them. An upgrade that arrives meanwhile waits
     * on the JVM's class-initialisation lock for the rest of the work, no longer than it would have taken
     * on its own.
     */
    private static void preloadWebSocketClassesInBackground() {
        Thread.ofPlatform().daemon().name("covet-preload-websocket").start(() -> {
            try {
                WebSocketConnection.preloadClasses();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Preloading the WebSocket classes failed; the first upgrade will load them itself", e);
            }
        });
    }

    /**
     * Starts listening.
     *
     * @throws IllegalStateException if the port cannot be bound, naming host and port
     */
    public static NettyServer start(AppRuntime runtime, TransportChoice transport, CompletableFuture<Void> preload) {
        try {
            return new NettyServer(runtime, transport, preload);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while binding", e);
        } catch (CompletionException e) {
            throw new IllegalStateException("Loading the HTTP connection classes failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot listen on " + runtime.config.host() + ":" + runtime.config.port()
                    + ": " + e.getMessage() + " (is another server using the port? set covet.port / COVET_PORT)", e);
        }
    }

    /**
     * The decoder's settings, the same for every connection. Strictness that Netty offers is switched on
     * here; what it does not offer is in {@link StrictHttpRequestDecoder}, and the framing rules it leaves
     * to the application are in {@link RequestChecks}.
     */
    private static HttpDecoderConfig decoderConfig(CovetConfig config) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxRequestLine())
                .setMaxHeaderSize(config.maxHeaderSize())
                .setMaxChunkSize(16 * 1024)
                // header names must be tokens and values field-content: no CR, NUL or other controls
                .setValidateHeaders(true)
                // a repeated Content-Length, even with the same value, is a framing error (RFC 9112 §6.3)
                .setAllowDuplicateContentLengths(false)
                // a bare LF (without CR) ends no line: it is rejected, not tolerated
                .setStrictLineParsing(true)
                // Transfer-Encoding with Content-Length, or in HTTP/1.0, is rejected instead of repaired
                .setUseRfc9112TransferEncoding(true);
    }

    private void accept(SocketChannel ch) {
        CovetConfig config = runtime.config;
        long open = runtime.openConnections.incrementAndGet();
        ch.closeFuture().addListener(f -> runtime.openConnections.decrementAndGet());
        if (open > config.maxConnections() || runtime.draining) {
            runtime.refusedConnections.incrementAndGet();
            ch.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE_503)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        connections.add(ch);
        ConnectionTimeouts timeouts = new ConnectionTimeouts(config.idleTimeout().toNanos(),
                config.headerReadTimeout().toNanos());
        ch.pipeline()
                .addLast("timeouts", timeouts)
                .addLast("decoder", new StrictHttpRequestDecoder(decoderConfig, knownPaths))
                .addLast("encoder", new ResponseEncoder())
                .addLast("covet", new HttpConnection(runtime, timeouts));
    }

    private static byte[] response503() {
        String body = "{\"type\":\"urn:covet:problem:service-unavailable\",\"title\":\"Service Unavailable\","
                + "\"status\":503,\"detail\":\"The server has too many open connections; retry shortly\"}";
        return ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nContent-Length: "
                + body.length() + "\r\nRetry-After: 1\r\nConnection: close\r\nServer: covet\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public TransportChoice transport() {
        return transport;
    }

    public EventLoopGroup ioEventLoops() {
        return workerGroup;
    }

    public int ioThreads() {
        return workerGroup instanceof MultiThreadIoEventLoopGroup g ? g.executorCount() : 0;
    }

    public LoopWatchdog watchdog() {
        return watchdog;
    }

    /**
     * Handlers still running now belong to connections that were just closed: give them a moment to
     * notice (their writes fail), then interrupt them, so no virtual thread outlives the server.
     */
    private void stopHandlers() {
        runtime.handlers.shutdown();
        try {
            if (!runtime.handlers.awaitTermination(1, TimeUnit.SECONDS)) {
                runtime.handlers.shutdownNow();
                if (!runtime.handlers.awaitTermination(1, TimeUnit.SECONDS)) {
                    LOG.warn("Some handlers ignored interruption and are still running after stop()");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops gracefully: stop accepting, close idle connections, let in-flight requests finish (their
     * responses say {@code Connection: close}) until {@code covet.shutdown-timeout}, then close the rest.
     */
    public void stop() {
        runtime.draining = true;
        runtime.closeEventStreams();
        serverChannel.close().awaitUninterruptibly();
        for (Channel ch : connections) {
            ch.pipeline().fireUserEventTriggered(DRAIN);
        }
        long deadline = System.nanoTime() + runtime.config.shutdownTimeout().toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!connections.isEmpty()) {
            LOG.warn("{} connection(s) still busy after {}; closing them", connections.size(),
                    runtime.config.shutdownTimeout());
            connections.close().awaitUninterruptibly();
        }
        watchdog.stop();
        stopHandlers();
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
