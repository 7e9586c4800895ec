package dev.covet.peers.netty;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/** The Date header value, formatted once a second on an event loop instead of once per response. */
final class DateHeader {

    private volatile AsciiString value = now();
    private ScheduledFuture<?> refresh;

    static DateHeader start(EventExecutor executor) {
        DateHeader header = new DateHeader();
        header.refresh = executor.scheduleAtFixedRate(() -> header.value = now(), 1, 1, TimeUnit.SECONDS);
        return header;
    }

    AsciiString value() {
        return value;
    }

    void stop() {
        refresh.cancel(false);
    }

    private static AsciiString now() {
        return new AsciiString(DateFormatter.format(new Date()));
    }
}
