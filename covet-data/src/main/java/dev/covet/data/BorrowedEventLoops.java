package dev.covet.data;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.vertx.core.spi.transport.Transport;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x transport whose event loops are someone else's: Covet's I/O threads ({@code Database.Builder.ioThreadsOf}).
 * Everything but the I/O event-loop group is the transport Covet itself runs on (epoll, io_uring or NIO), so the
 * client's channels fit those loops. Vert.x may "shut down" the group when it closes; that only marks this view
 * closed: the loops belong to Covet, which stops them.
 */
final class BorrowedEventLoops implements io.vertx.core.transport.Transport {
    private final EventLoopGroup loops;
    private final io.vertx.core.transport.Transport base;

    /**
     * @param loops     the event loops to run on
     * @param transport the name of the transport those loops run ({@code epoll}, {@code io_uring}, {@code nio})
     */
    BorrowedEventLoops(EventLoopGroup loops, String transport) {
        this.loops = loops;
        this.base = switch (transport) {
            case "epoll" -> io.vertx.core.transport.Transport.EPOLL;
            case "io_uring" -> io.vertx.core.transport.Transport.IO_URING;
            case "nio" -> io.vertx.core.transport.Transport.NIO;
            default -> throw new IllegalArgumentException("No Vert.x transport for Covet's transport '" + transport + "'");
        };
        if (!base.available()) {
            throw new IllegalStateException("Vert.x cannot use Covet's transport " + transport + ": "
                    + base.unavailabilityCause(), base.unavailabilityCause());
        }
    }

    /** How many loops there are. */
    int size() {
        int n = 0;
        for (Iterator<EventExecutor> it = loops.iterator(); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    @Override public String name() { return "covet-io-threads (" + base.name() + ")"; }
    @Override public boolean available() { return true; }
    @Override public Throwable unavailabilityCause() { return null; }

    @Override
    public Transport implementation() {
        Transport channels = base.implementation();
        View view = new View(loops);
        return new Transport() {
            @Override
            public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
                return type == IO_EVENT_LOOP_GROUP ? view : channels.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
            }
            @Override public IoHandlerFactory ioHandlerFactory() { return channels.ioHandlerFactory(); }
            @Override public boolean supportsDomainSockets() { return channels.supportsDomainSockets(); }
            @Override public boolean supportFileRegion() { return channels.supportFileRegion(); }
            @Override public boolean isAvailable() { return channels.isAvailable(); }
            @Override public Throwable unavailabilityCause() { return channels.unavailabilityCause(); }
            @Override public SocketAddress convert(io.vertx.core.net.SocketAddress address) { return channels.convert(address); }
            @Override public io.vertx.core.net.SocketAddress convert(SocketAddress address) { return channels.convert(address); }
            @Override public DatagramChannel datagramChannel() { return channels.datagramChannel(); }
            @Override public DatagramChannel datagramChannel(InternetProtocolFamily family) { return channels.datagramChannel(family); }
            @Override public ChannelFactory<? extends Channel> channelFactory(boolean domain) { return channels.channelFactory(domain); }
            @Override public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domain) {
                return channels.serverChannelFactory(domain);
            }
            @Override public void configure(DatagramChannel channel, io.vertx.core.datagram.DatagramSocketOptions options) {
                channels.configure(channel, options);
            }
            @Override public void configure(io.vertx.core.net.ClientOptionsBase options, int timeout, boolean domain,
                                            io.netty.bootstrap.Bootstrap bootstrap) {
                channels.configure(options, timeout, domain, bootstrap);
            }
            @Override public void configure(io.vertx.core.net.NetServerOptions options, boolean domain,
                                            io.netty.bootstrap.ServerBootstrap bootstrap) {
                channels.configure(options, domain, bootstrap);
            }
        };
    }

    /** The borrowed loops as Vert.x sees them: everything goes to them, except shutting them down. */
    private static final class View extends AbstractEventExecutorGroup implements EventLoopGroup {
        private final EventLoopGroup loops;
        private final Promise<Void> closed = ImmediateEventExecutor.INSTANCE.newPromise();

        View(EventLoopGroup loops) {
            this.loops = loops;
        }

        @Override public EventLoop next() { return loops.next(); }
        @Override public Iterator<EventExecutor> iterator() { return loops.iterator(); }
        @Override public ChannelFuture register(Channel channel) { return loops.register(channel); }
        @Override public ChannelFuture register(ChannelPromise promise) { return loops.register(promise); }

        @Override
        @SuppressWarnings("deprecation")
        public ChannelFuture register(Channel channel, ChannelPromise promise) {
            return loops.register(channel, promise);
        }

        @Override
        public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
            closed.trySuccess(null); // Vert.x is done with them; they run on for Covet
            return closed;
        }

        @Override public Future<?> terminationFuture() { return closed; }
        @Override public boolean isShuttingDown() { return closed.isDone() || loops.isShuttingDown(); }
        @Override public boolean isShutdown() { return closed.isDone() || loops.isShutdown(); }
        @Override public boolean isTerminated() { return closed.isDone() || loops.isTerminated(); }
        @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return closed.isDone(); }

        @Override
        @SuppressWarnings("deprecation")
        public void shutdown() {
            shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }
}
