package dev.covet.peers.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The "hand-written ceiling" peer: raw Netty 4.2 on the epoll transport, no framework at all.
 * Shaped like TechEmpower's netty entry: one event loop per core, pre-built header constants,
 * a Date header refreshed once a second, responses flushed once per read batch (so pipelined
 * requests go out in one write).
 */
public final class NettyPeer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final DateHeader date;

    private NettyPeer(EventLoopGroup group, Channel serverChannel, DateHeader date) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.date = date;
    }

    public static void main(String[] args) throws Exception {
        String host = env("HOST", "127.0.0.1");
        int port = Integer.parseInt(env("PORT", "8080"));
        try (NettyPeer peer = start(host, port)) {
            System.out.println("ready http://" + host + ":" + peer.port());
            awaitTermination();
        }
        System.exit(0);
    }

    /** Binds host:port (0 picks a free port) and returns once the socket accepts connections. */
    public static NettyPeer start(String host, int port) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        if (!epoll) {
            System.err.println("netty peer: epoll unavailable, falling back to NIO: " + Epoll.unavailabilityCause());
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        DateHeader date = DateHeader.start(group.next());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 8192)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast("codec", new HttpServerCodec())
                                    .addLast("continue", new HttpServerExpectContinueHandler())
                                    .addLast("handler", new HelloHandler(date));
                        }
                    })
                    .bind(host, port).sync().channel();
            return new NettyPeer(group, channel, date);
        } catch (InterruptedException | RuntimeException e) {
            date.stop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        date.stop();
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Blocks until SIGTERM or SIGINT, so that main can stop the server and exit 0: the JVM's own handler
     * would exit 143. sun.misc.Signal (module jdk.unsupported) is the only way to replace it; javac warns.
     */
    static void awaitTermination() throws InterruptedException {
        CountDownLatch signalled = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> signalled.countDown());
        }
        signalled.await();
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
