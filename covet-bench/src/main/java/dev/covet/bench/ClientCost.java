package dev.covet.bench;

/**
 * What the measured window cost the harness itself (load generator included), so a reader can
 * see when the client, not the server, was the bottleneck.
 *
 * @param cpuSeconds     utime + stime of the harness process over the window
 * @param cpuUtilisation cpuSeconds / window seconds
 * @param jitCpuSeconds  part of cpuSeconds used by the harness's JIT compiler threads (it warms up over the first runs)
 * @param cpus           CPUs the harness could use: its pinned set, or every CPU if not pinned
 * @param saturated      whether the harness used at least 90% of those CPUs: then the
 *                       throughput figure is a floor for the server, not its limit
 */
public record ClientCost(double cpuSeconds, double cpuUtilisation, Double jitCpuSeconds, int cpus, boolean saturated) {
}
