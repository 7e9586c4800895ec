package dev.covet.jmh;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the benchmark JVM's CPU time per operation, next to JMH's wall-clock score.
 *
 * <p>Why: the machine these benchmarks run on is shared, and when other builds saturate its cores the
 * wall-clock score mostly measures how long the benchmark thread waited for a core. Process CPU time
 * does not grow while the process is descheduled, so it stays close to the real cost of an operation.
 * It counts every thread of the benchmark JVM in the iteration window: the benchmark thread, the
 * virtual-thread carriers (so a virtual thread's work is included), GC threads (allocation is charged
 * for its collection) and JIT threads (so it is inflated while C2 is still compiling; watch for
 * per-iteration values that keep falling). Caveat: it does not protect against cache and memory-bandwidth
 * interference from the other processes, and it is an approximation on a machine with SMT.
 *
 * <p>Results: {@code cpu.time.norm} (process CPU ns per operation) and {@code cpu.util} (cores the JVM
 * used on average during the iteration: near 1.0 for a single-threaded benchmark that got a whole core).
 * Use with {@code -prof dev.covet.jmh.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "Process CPU time per operation (robust to lost time slices on a shared machine)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        wallStart = System.nanoTime();
        cpuStart = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        long ops = result.getMetadata().getAllOps();
        if (cpuStart < 0 || ops <= 0 || wall <= 0) {
            return List.of();
        }
        return List.of(
                new ScalarResult("cpu.time.norm", (double) cpu / ops, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.util", (double) cpu / wall, "cores", AggregationPolicy.AVG));
    }
}
