package dev.covet.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throwaway raw-Netty server for the harness's own tests and for cross-checking the load
 * generator against wrk: {@code GET /plaintext}, {@code GET /json}, {@code POST /echo},
 * {@code GET /ready}, plus optional faults.
 *
 * <p>Faults: every {@code failEvery}-th {@code /plaintext} request is answered 500; the
 * {@code stallAt}-th {@code /plaintext} request is answered {@code stallMillis} late. As a
 * process ({@link #main}) it reads {@code PORT}, {@code FAULT_EVERY}, {@code DIE_AFTER_MS}
 * (halt the JVM, exit code 3, that long after the first
 * {@code /plaintext} request) and prints its counts on SIGTERM.
 */
public final class RawNettyServer implements AutoCloseable {
    private static final byte[] HELLO = Scenario.HELLO;
    private static final byte[] HELLO_JSON = Scenario.HELLO_JSON;

    final AtomicLong plaintextRequests = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong allRequests = new AtomicLong();
    private final int failEvery;
    private final long stallAt;
    private final long stallMillis;
    private final EventLoopGroup group;
    private final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;
    private volatile Runnable onFirstRequest = () -> { };

    RawNettyServer(int port, int threads, int failEvery, long stallAt, long stallMillis) throws InterruptedException {
        this.failEvery = failEvery;
        this.stallAt = stallAt;
        this.stallMillis = stallMillis;
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        children.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    /** A well-behaved server on an ephemeral port. */
    static RawNettyServer plain() throws InterruptedException {
        return new RawNettyServer(0, 1, 0, -1, 0);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    void onFirstRequest(Runnable r) {
        onFirstRequest = r;
    }

    /** Stops listening and closes every connection, as a crashing server would. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        children.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            allRequests.incrementAndGet();
            String uri = req.uri();
            FullHttpResponse res;
            long delay = 0;
            if (uri.equals("/plaintext")) {
                long n = plaintextRequests.incrementAndGet();
                if (n == 1) {
                    onFirstRequest.run();
                }
                if (failEvery > 0 && n % failEvery == 0) {
                    failures.incrementAndGet();
                    res = response(HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", Unpooled.wrappedBuffer("fault".getBytes()));
                } else {
                    res = response(HttpResponseStatus.OK, "text/plain", Unpooled.wrappedBuffer(HELLO));
                }
                if (n == stallAt) {
                    delay = stallMillis;
                }
            } else if (uri.equals("/json")) {
                res = response(HttpResponseStatus.OK, "application/json", Unpooled.wrappedBuffer(HELLO_JSON));
            } else if (uri.equals("/echo")) {
                ByteBuf body = req.content().retainedDuplicate();
                res = response(HttpResponseStatus.OK, "application/json", body);
            } else if (uri.equals("/ready")) {
                res = response(HttpResponseStatus.OK, "text/plain", Unpooled.wrappedBuffer("ready".getBytes()));
            } else {
                res = response(HttpResponseStatus.NOT_FOUND, "text/plain", Unpooled.EMPTY_BUFFER);
            }
            if (delay > 0) {
                ctx.executor().schedule(() -> ctx.writeAndFlush(res), delay, TimeUnit.MILLISECONDS);
            } else {
                ctx.write(res);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, ByteBuf body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return res;
    }

    /** Runs as a benchmark target process; see the class comment for the environment it reads. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        int failEvery = Integer.parseInt(System.getenv().getOrDefault("FAULT_EVERY", "0"));
        long dieAfter = Long.parseLong(System.getenv().getOrDefault("DIE_AFTER_MS", "0"));
        int threads = Integer.parseInt(System.getenv().getOrDefault("THREADS", "1"));
        RawNettyServer s = new RawNettyServer(port, threads, failEvery, -1, 0);
        if (dieAfter > 0) {
            s.onFirstRequest(() -> Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(dieAfter);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("raw-netty: dying on purpose after " + dieAfter + " ms");
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("raw-netty: requests=" + s.allRequests.get() + " plaintext=" + s.plaintextRequests.get()
                    + " failures=" + s.failures.get());
            System.out.flush();
        }));
        System.out.println("raw-netty: listening on 127.0.0.1:" + s.port() + " transport=" + (Epoll.isAvailable() ? "epoll" : "nio")
                + " threads=" + threads + " failEvery=" + failEvery);
        s.server.closeFuture().sync();
    }
}
