package dev.covet.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds (and, with {@code -prof gc}, bytes) to put a {@code String} response body into a buffer from
 * the channel's allocator ({@link ByteBufAllocator#DEFAULT}, direct), two ways:
 * <ul>
 *   <li>{@code netty}: {@link ByteBufUtil#reserveAndWriteUtf8} with the exact size reserved. Without
 *       {@code sun.misc.Unsafe} (Netty 4.2 leaves it off on JDK 24+) it writes a direct buffer one
 *       {@code ByteBuffer.put} per byte.
 *   <li>{@code getBytes}: {@link String#getBytes} (the JDK's intrinsic encoder; a copy for an ASCII string)
 *       and one bulk {@code writeBytes}; costs a garbage {@code byte[]} of the body's size.
 *   <li>{@code heapThenDirect}: encoded into a pooled heap buffer (Netty's array path), then copied into a
 *       direct one, as the epoll transport does with a heap buffer when it writes it.
 * </ul>
 * {@code -p body=}: {@code hello} ("Hello, World!"), {@code asciiPage} (1.2 KB of ASCII HTML) and
 * {@code fortunesPage} (TechEmpower's fortunes page, 1.3 KB with Japanese text, so a UTF-16 string).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class TextBodyBenchmark {
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @Param({"hello", "asciiPage", "fortunesPage"})
    public String body;

    private String text;

    @Setup
    public void setUp() {
        text = switch (body) {
            case "hello" -> "Hello, World!";
            case "asciiPage" -> page("A computer program does what you tell it to do, not what you want it to do.");
            case "fortunesPage" -> page("フレームワークのベンチマーク");
            default -> throw new IllegalArgumentException("unknown body " + body);
        };
        byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        for (ByteBuf buf : new ByteBuf[] {netty(), getBytes(), heapThenDirectBuffer()}) {
            try {
                if (!ByteBufUtil.equals(buf, io.netty.buffer.Unpooled.wrappedBuffer(expected))) {
                    throw new IllegalStateException("encodings differ for " + body);
                }
            } finally {
                buf.release();
            }
        }
    }

    /** An HTML table of 13 rows, the last one holding {@code last}: the shape and size of the fortunes page. */
    private static String page(String last) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>");
        for (int i = 1; i <= 12; i++) {
            html.append("<tr><td>").append(i).append("</td><td>Computers make very fast, very accurate mistakes.</td></tr>");
        }
        return html.append("<tr><td>13</td><td>").append(last).append("</td></tr></table></body></html>").toString();
    }

    @Benchmark
    public int nettyWriteUtf8() {
        return sizeReleased(netty());
    }

    @Benchmark
    public int stringGetBytes() {
        return sizeReleased(getBytes());
    }

    @Benchmark
    public int heapThenDirect() {
        return sizeReleased(heapThenDirectBuffer());
    }

    private static int sizeReleased(ByteBuf buf) {
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    private ByteBuf netty() {
        int length = ByteBufUtil.utf8Bytes(text);
        ByteBuf buf = alloc.buffer(length);
        ByteBufUtil.reserveAndWriteUtf8(buf, text, length);
        return buf;
    }

    private ByteBuf heapThenDirectBuffer() {
        int length = ByteBufUtil.utf8Bytes(text);
        ByteBuf heap = alloc.heapBuffer(length);
        try {
            ByteBufUtil.reserveAndWriteUtf8(heap, text, length);
            return alloc.directBuffer(length).writeBytes(heap);
        } finally {
            heap.release();
        }
    }

    private ByteBuf getBytes() {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }
}
