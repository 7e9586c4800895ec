package dev.covet.jmh;

import dev.covet.jmh.Payloads.Order;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonFactoryBuilder;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which Jackson recycler pool to use when handlers run on virtual threads (ADR 0002).
 *
 * <p>Jackson borrows its read/write buffers ({@link BufferRecycler}) from a pool per token-stream
 * factory. A thread-local pool cannot help a virtual thread that lives for one request: it never asks
 * twice. This benchmark encodes (and decodes) the same payload with one {@link JsonMapper} per pool,
 * built the way {@code JsonCodec} builds its own, from two kinds of thread:
 * <ul>
 *   <li>{@code *OnPlatformThread}: the JMH thread itself, like a Netty I/O thread that serves many
 *       requests;</li>
 *   <li>{@code *OnVirtualThread}: a fresh virtual thread per operation, started and joined, like
 *       Covet's thread-per-request handlers. {@link #virtualThreadBaseline} starts and joins an empty
 *       virtual thread; subtract its time and bytes to get the cost of the JSON work itself.</li>
 * </ul>
 *
 * <p>Output goes to a heap buffer that is reused (cleared) for every operation, so the bytes per op
 * are Jackson's own and not the Netty allocator's. {@code -prof gc} counts what virtual threads
 * allocate: JMH 1.37 reads the JVM-wide allocated-bytes counter, and a virtual thread's allocations are
 * charged to its carrier thread.
 *
 * <p>Pools ({@code -p pool=...}): {@code threadLocal}, {@code sharedHybrid} (what JsonCodec uses),
 * {@code sharedConcurrentDeque} and {@code nonRecycling} by default. Also accepted: {@code default}, a
 * factory built without naming a pool (Jackson 3.3 then gives each factory its own concurrent-deque
 * pool, the same class as {@code sharedConcurrentDeque}), {@code sharedStripedArray} and
 * {@code sharedBounded}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 600, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class RecyclerPoolBenchmark {

    /** A mapper per pool, configured like JsonCodec's, plus the reusable output buffer. */
    @State(Scope.Benchmark)
    public static class Mapper {
        @Param({"threadLocal", "sharedHybrid", "sharedConcurrentDeque", "nonRecycling"})
        public String pool;

        JsonMapper mapper;
        final ByteBuf sink = Unpooled.buffer(4096);

        @Setup
        public void buildMapper() {
            JsonFactoryBuilder factory = JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
            if (!pool.equals("default")) {
                factory.recyclerPool(pool(pool));
            }
            mapper = JsonMapper.builder(factory.build())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .build();
            RecyclerPool<BufferRecycler> inUse = mapper.tokenStreamFactory()._getRecyclerPool();
            if (!pool.equals("default") && inUse != pool(pool)) {
                throw new IllegalStateException("Mapper for pool " + pool + " uses " + inUse);
            }
            System.out.println("(pool " + pool + " is " + inUse.getClass().getName() + ")");
        }

        static RecyclerPool<BufferRecycler> pool(String name) {
            return switch (name) {
                case "threadLocal" -> JsonRecyclerPools.threadLocalPool();
                case "sharedHybrid" -> JsonRecyclerPools.sharedHybridPool();
                case "sharedConcurrentDeque" -> JsonRecyclerPools.sharedConcurrentDequePool();
                case "nonRecycling" -> JsonRecyclerPools.nonRecyclingPool();
                case "sharedStripedArray" -> JsonRecyclerPools.sharedStripedArrayPool();
                case "sharedBounded" -> JsonRecyclerPools.sharedBoundedPool();
                default -> throw new IllegalArgumentException("Unknown pool '" + name + "'");
            };
        }
    }

    /** What to encode: {@code hello} (TechEmpower's message) or {@code order} (about 1 KB). */
    @State(Scope.Benchmark)
    public static class Encode {
        @Param({"hello", "order"})
        public String payload;

        ObjectWriter writer;
        Object value;
        Runnable task;

        @Setup
        public void prepare(Mapper m) {
            value = payload.equals("hello") ? Payloads.HELLO : Payloads.order();
            writer = m.mapper.writerFor(value.getClass());
            task = () -> encode(writer, value, m.sink);
            task.run();
            String json = m.sink.toString(StandardCharsets.UTF_8);
            if (!json.startsWith("{\"") || !json.endsWith("}")) {
                throw new IllegalStateException("Unexpected " + payload + " JSON: " + json);
            }
        }
    }

    /** The order's JSON to decode. */
    @State(Scope.Benchmark)
    public static class Decode {
        ObjectReader reader;
        byte[] json;
        Order expected;
        Order last;
        Runnable task;

        @Setup
        public void prepare(Mapper m) {
            expected = Payloads.order();
            json = m.mapper.writeValueAsBytes(expected);
            reader = m.mapper.readerFor(Order.class);
            task = () -> last = reader.readValue(new ByteArrayInputStream(json));
            task.run();
            if (!expected.equals(last)) {
                throw new IllegalStateException("Order does not survive a round trip");
            }
        }
    }

    static void encode(ObjectWriter writer, Object value, ByteBuf sink) {
        sink.clear();
        try (ByteBufOutputStream out = new ByteBufOutputStream(sink)) {
            writer.writeValue((OutputStream) out, value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Runnable NOTHING = () -> { };

    @Benchmark
    public int encodeOnPlatformThread(Mapper m, Encode e) {
        e.task.run();
        return m.sink.writerIndex();
    }

    @Benchmark
    public int encodeOnVirtualThread(Mapper m, Encode e) throws InterruptedException {
        Thread.startVirtualThread(e.task).join();
        return m.sink.writerIndex();
    }

    @Benchmark
    public Order decodeOnPlatformThread(Decode d) {
        d.task.run();
        return d.last;
    }

    @Benchmark
    public Order decodeOnVirtualThread(Decode d) throws InterruptedException {
        Thread.startVirtualThread(d.task).join();
        return d.last;
    }

    /** Start and join a virtual thread that does nothing: the overhead to subtract. */
    @Benchmark
    public void virtualThreadBaseline() throws InterruptedException {
        Thread.startVirtualThread(NOTHING).join();
    }
}
