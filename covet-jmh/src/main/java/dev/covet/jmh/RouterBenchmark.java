package dev.covet.jmh;

import dev.covet.internal.RouteMethod;
import dev.covet.internal.Router;
import dev.covet.jmh.ApiRouteTable.Probe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Nanoseconds (and, with {@code -prof gc}, bytes) per {@link Router#find} on a 1,000-route API table
 * and on a 10-route table.
 *
 * <p>Each invocation looks up a fixed set of probes in turn and JMH divides by the set's size
 * ({@link OperationsPerInvocation}), so every score is per lookup. {@code mixed*} is the headline: 16
 * probes, of which 12 are hits (4 static, 5 parametrised, 3 deep) and 4 are errors (2 x 405, 2 x 404);
 * the other methods split the large table's mix by kind. The tables and probes are in
 * {@link ApiRouteTable}; {@link #setUp} proves every probe reaches its expected route or status before
 * measuring, so a typo cannot turn the benchmark into a 404 benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class RouterBenchmark {
    private static final int MIXED = 16;
    private static final int STATIC = 4;
    private static final int PARAM = 5;
    private static final int DEEP = 3;
    private static final int METHOD_NOT_ALLOWED = 2;
    private static final int NOT_FOUND = 2;

    private Router<String> large;
    private Router<String> small;
    private Lookups largeMixed;
    private Lookups smallMixed;
    private Lookups largeStatic;
    private byte[][] largeStaticBytes;
    private Lookups largeParam;
    private Lookups largeDeep;
    private Lookups largeMethodNotAllowed;
    private Lookups largeNotFound;

    /** Probes unpacked into two arrays, so the measured loop reads nothing but the method and path. */
    private record Lookups(RouteMethod[] methods, String[] paths) {
        static Lookups of(Router<String> router, Probe[] probes, int expectedSize) {
            if (probes.length != expectedSize) {
                throw new IllegalStateException("Probe set has " + probes.length + " probes but the benchmark"
                        + " divides by " + expectedSize);
            }
            ApiRouteTable.check(router, probes);
            RouteMethod[] methods = new RouteMethod[probes.length];
            String[] paths = new String[probes.length];
            for (int i = 0; i < probes.length; i++) {
                methods[i] = probes[i].method();
                paths[i] = probes[i].path();
            }
            return new Lookups(methods, paths);
        }
    }

    @Setup
    public void setUp() {
        large = ApiRouteTable.build(ApiRouteTable.largeRoutes());
        small = ApiRouteTable.build(ApiRouteTable.smallRoutes());
        if (large.routes().size() != 1000 || small.routes().size() != 10) {
            throw new IllegalStateException("Route tables have " + large.routes().size() + " and "
                    + small.routes().size() + " routes, not 1000 and 10");
        }
        largeMixed = Lookups.of(large, ApiRouteTable.LARGE_MIXED, MIXED);
        smallMixed = Lookups.of(small, ApiRouteTable.SMALL_MIXED, MIXED);
        largeStatic = Lookups.of(large, ApiRouteTable.LARGE_STATIC, STATIC);
        largeStaticBytes = java.util.Arrays.stream(largeStatic.paths())
                .map(path -> path.getBytes(StandardCharsets.ISO_8859_1)).toArray(byte[][]::new);
        largeParam = Lookups.of(large, ApiRouteTable.LARGE_PARAM, PARAM);
        largeDeep = Lookups.of(large, ApiRouteTable.LARGE_DEEP, DEEP);
        largeMethodNotAllowed = Lookups.of(large, ApiRouteTable.LARGE_METHOD_NOT_ALLOWED, METHOD_NOT_ALLOWED);
        largeNotFound = Lookups.of(large, ApiRouteTable.LARGE_NOT_FOUND, NOT_FOUND);
    }

    @Benchmark
    @OperationsPerInvocation(MIXED)
    public void mixed1000Routes(Blackhole bh) {
        lookUp(large, largeMixed, bh);
    }

    @Benchmark
    @OperationsPerInvocation(MIXED)
    public void mixed10Routes(Blackhole bh) {
        lookUp(small, smallMixed, bh);
    }

    @Benchmark
    @OperationsPerInvocation(STATIC)
    public void staticHit1000Routes(Blackhole bh) {
        lookUp(large, largeStatic, bh);
    }

    /**
     * As {@link #staticHit1000Routes}, with each path a new {@code String} made from bytes, as the HTTP
     * decoder makes it: its hash is not cached yet, so this is what a request pays.
     */
    @Benchmark
    @OperationsPerInvocation(STATIC)
    public void staticHitFreshPath1000Routes(Blackhole bh) {
        RouteMethod[] methods = largeStatic.methods();
        for (int i = 0; i < largeStaticBytes.length; i++) {
            bh.consume(large.find(methods[i], new String(largeStaticBytes[i], StandardCharsets.ISO_8859_1)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(PARAM)
    public void paramHit1000Routes(Blackhole bh) {
        lookUp(large, largeParam, bh);
    }

    @Benchmark
    @OperationsPerInvocation(DEEP)
    public void deepHit1000Routes(Blackhole bh) {
        lookUp(large, largeDeep, bh);
    }

    @Benchmark
    @OperationsPerInvocation(METHOD_NOT_ALLOWED)
    public void methodNotAllowed1000Routes(Blackhole bh) {
        lookUp(large, largeMethodNotAllowed, bh);
    }

    @Benchmark
    @OperationsPerInvocation(NOT_FOUND)
    public void notFound1000Routes(Blackhole bh) {
        lookUp(large, largeNotFound, bh);
    }

    private static void lookUp(Router<String> router, Lookups lookups, Blackhole bh) {
        RouteMethod[] methods = lookups.methods();
        String[] paths = lookups.paths();
        for (int i = 0; i < paths.length; i++) {
            bh.consume(router.find(methods[i], paths[i]));
        }
    }
}
