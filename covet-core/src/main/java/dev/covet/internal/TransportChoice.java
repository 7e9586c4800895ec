package dev.covet.internal;

import dev.covet.CovetConfig;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.Optional;

/**
 * The I/O transport in use and why. Covet never falls back silently: {@link #warning()} is set
 * whenever the preferred native transport could not be used, with the cause, and the server prints
 * it at start-up; {@code covet doctor} shows the same facts.
 */
public record TransportChoice(String name, IoHandlerFactory ioHandlerFactory,
                              Class<? extends ServerChannel> serverChannel, Optional<String> warning) {

    /**
     * Picks the transport for {@code preference}.
     *
     * @throws IllegalStateException if a native transport was asked for explicitly and cannot load
     */
    public static TransportChoice select(CovetConfig.Transport preference) {
        return switch (preference) {
            case NIO -> nio(Optional.empty());
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("covet.transport=epoll but the native epoll transport "
                            + "cannot load: " + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
                }
                yield epoll();
            }
            case IO_URING -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException("covet.transport=io_uring but io_uring cannot load: "
                            + IoUring.unavailabilityCause(), IoUring.unavailabilityCause());
                }
                yield new TransportChoice("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                        Optional.empty());
            }
            case AUTO -> Epoll.isAvailable() ? epoll() : nio(Optional.of(
                    "native epoll transport unavailable, using NIO (slower): " + Epoll.unavailabilityCause()));
        };
    }

    private static TransportChoice epoll() {
        return new TransportChoice("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, Optional.empty());
    }

    private static TransportChoice nio(Optional<String> warning) {
        return new TransportChoice("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, warning);
    }

    /** One line per native transport: available, or the reason it is not. */
    public static String nativeStatus() {
        return "epoll: " + (Epoll.isAvailable() ? "available" : "UNAVAILABLE (" + Epoll.unavailabilityCause() + ")")
                + "; io_uring: " + (IoUring.isAvailable() ? "available"
                : "UNAVAILABLE (" + IoUring.unavailabilityCause() + ")");
    }
}
