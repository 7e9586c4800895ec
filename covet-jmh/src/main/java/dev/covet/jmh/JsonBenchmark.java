package dev.covet.jmh;

import dev.covet.internal.JsonCodec;
import dev.covet.jmh.Payloads.Order;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds (and, with {@code -prof gc}, bytes) per JSON encode or decode through {@link JsonCodec},
 * the way the server does it: {@code write} into a buffer from the channel's allocator
 * ({@link ByteBufAllocator#DEFAULT}, Netty 4.2's pooled adaptive allocator) which is released after,
 * and {@code read} from a {@link ByteArrayInputStream} over the body bytes.
 *
 * <p>Payloads are in {@link Payloads}: a 17-field order (nested address, 5 line items, Instant, enum,
 * boolean; about 1 KB of JSON) and TechEmpower's {@code {"message":"Hello, World!"}}. Runs on the JMH
 * platform thread, so Jackson's buffers are recycled as on an I/O thread; {@link RecyclerPoolBenchmark}
 * covers virtual threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 600, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class JsonBenchmark {
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private JsonCodec codec;
    private Order order;
    private byte[] orderJson;
    private byte[] helloJson;

    @Setup
    public void setUp() {
        codec = new JsonCodec();
        order = Payloads.order();
        orderJson = codec.writeBytes(order);
        helloJson = codec.writeBytes(Payloads.HELLO);
        if (!new String(helloJson, StandardCharsets.UTF_8).equals("{\"message\":\"Hello, World!\"}")) {
            throw new IllegalStateException("Hello payload encodes as " + new String(helloJson, StandardCharsets.UTF_8));
        }
        if (!codec.read(new ByteArrayInputStream(orderJson), Order.class).equals(order)) {
            throw new IllegalStateException("Order does not survive a round trip: "
                    + new String(orderJson, StandardCharsets.UTF_8));
        }
        ByteBuf buf = codec.write(order, alloc);
        try {
            if (buf.readableBytes() != orderJson.length) {
                throw new IllegalStateException("write() and writeBytes() disagree on the order's size");
            }
        } finally {
            buf.release();
        }
    }

    @Benchmark
    public int encodeOrder() {
        ByteBuf buf = codec.write(order, alloc);
        int size = buf.readableBytes();
        buf.release();
        return size;
    }

    @Benchmark
    public Order decodeOrder() {
        return codec.read(new ByteArrayInputStream(orderJson), Order.class);
    }

    @Benchmark
    public int encodeHelloWorld() {
        ByteBuf buf = codec.write(Payloads.HELLO, alloc);
        int size = buf.readableBytes();
        buf.release();
        return size;
    }
}
