package dev.covet.internal;

import io.netty.util.AsciiString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The HTTP Date header value, formatted at most once per second and shared by all threads. */
final class DateHeader {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private record Cached(long second, AsciiString value) { }

    private static volatile Cached cached = new Cached(-1, AsciiString.EMPTY_STRING);

    private DateHeader() { }

    static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second != second) {
            c = new Cached(second, AsciiString.cached(FORMAT.format(Instant.ofEpochSecond(second))));
            cached = c;
        }
        return c.value;
    }
}
