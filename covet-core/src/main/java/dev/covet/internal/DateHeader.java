package dev.covet.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.util.AsciiString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP Date header value, shared by all threads. Responses read a field; a running server's accept
 * loop refreshes it every {@value #REFRESH_MILLIS} ms ({@link NettyServer}), and it is formatted only
 * when the second changes. Reading the clock on every response cost about 1% of a pipelined
 * /plaintext request on this project's VMs (async-profiler), and a Date a fraction of a second late is
 * what RFC 9110 §6.6.1 allows ("the best available approximation").
 */
final class DateHeader {
    static final long REFRESH_MILLIS = 100;
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private record Cached(long second, AsciiString value) { }

    private static volatile Cached cached = format(System.currentTimeMillis() / 1000);

    private DateHeader() { }

    static AsciiString now() {
        return cached.value;
    }

    /** Re-reads the clock; called by the refresh task, and cheap when the second has not changed. */
    static void refresh() {
        long second = System.currentTimeMillis() / 1000;
        if (cached.second != second) {
            cached = format(second);
        }
    }

    /** Refreshes the value on {@code loop} until that loop shuts down. */
    static void refreshOn(EventLoopGroup loop) {
        loop.scheduleAtFixedRate(DateHeader::refresh, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static Cached format(long second) {
        return new Cached(second, AsciiString.cached(FORMAT.format(Instant.ofEpochSecond(second))));
    }
}
