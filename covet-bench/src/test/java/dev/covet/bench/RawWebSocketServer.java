package dev.covet.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A throwaway raw-Netty WebSocket server for the harness's tests, with the demo's contract:
 * {@code /ws/echo} echoes text; {@code /ws/broadcast/{room}} confirms the join with
 * {@code joined <room> <members>} and sends each text message to every other member; any other
 * path answers 404. It also records the remote addresses it accepted, so tests can see the
 * connections' source addresses.
 */
final class RawWebSocketServer implements AutoCloseable {
    private static final AttributeKey<String> ROOM = AttributeKey.valueOf("room");

    final Set<String> remoteAddresses = ConcurrentHashMap.newKeySet();
    private final Map<String, ChannelGroup> rooms = new ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private final Channel server;

    RawWebSocketServer() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder().websocketPath("/ws").checkStartsWith(true).build();
        server = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        remoteAddresses.add(((InetSocketAddress) ch.remoteAddress()).getAddress().getHostAddress());
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new WebSocketServerProtocolHandler(ws),
                                new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                String uri = done.requestUri();
                if (uri.startsWith("/ws/broadcast/")) {
                    String room = uri.substring("/ws/broadcast/".length());
                    ChannelGroup members = rooms.computeIfAbsent(room, r -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
                    members.add(ctx.channel());
                    ctx.channel().attr(ROOM).set(room);
                    ctx.writeAndFlush(new TextWebSocketFrame("joined " + room + " " + members.size()));
                } else if (!uri.equals("/ws/echo")) {
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest req) {
                // Not under /ws/: no such endpoint.
                ReferenceCountUtil.release(req);
                DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
                res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (msg instanceof TextWebSocketFrame text) {
                String room = ctx.channel().attr(ROOM).get();
                if (room == null) {
                    ctx.writeAndFlush(text);
                } else {
                    rooms.get(room).writeAndFlush(new TextWebSocketFrame(text.text()), c -> c != ctx.channel());
                    text.release();
                }
                return;
            }
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
