package dev.covet.bench;

import java.util.Map;

/**
 * What serving the measured window cost the target process, read from outside it. Figures that
 * could not be read are null, and {@code cpuUnavailable} / {@code jvmUnavailable} say why.
 *
 * @param cpuSeconds              utime + stime of the target over the measured window (/proc/&lt;pid&gt;/stat)
 * @param cpuSecondsPer1kRequests cpuSeconds per 1,000 successful requests
 * @param requestsPerCpuSecond    successful requests per server CPU second: the ranking figure
 * @param cpuUtilisation          cpuSeconds / window seconds (1.0 = one core busy)
 * @param cpuUnavailable          why CPU figures are missing, or null
 * @param rssPeakKb               VmHWM of /proc/&lt;pid&gt;/status at the end of the window (peak since start)
 * @param rssEndKb                VmRSS at the end of the window
 * @param allocatedBytes          heap bytes allocated by all threads over the window (JMX, via attach)
 * @param allocatedBytesPerRequest allocatedBytes per successful request
 * @param gcCount                 collections over the window, all collectors
 * @param gcTimeMs                accumulated collection time over the window, as the collectors report it
 * @param gcByCollector           per collector: [collections, milliseconds] over the window
 * @param jitCpuSeconds           CPU used by the target's JIT compiler threads in the window (part of cpuSeconds), from
 *                                /proc/&lt;pid&gt;/task/*&#47;stat; a lower bound (a compiler thread that ends mid-window is missed)
 * @param jvmUnavailable          why allocation and GC figures are missing, or null
 */
public record ServerCost(
        Double cpuSeconds,
        Double cpuSecondsPer1kRequests,
        Double requestsPerCpuSecond,
        Double cpuUtilisation,
        String cpuUnavailable,
        Long rssPeakKb,
        Long rssEndKb,
        Long allocatedBytes,
        Double allocatedBytesPerRequest,
        Long gcCount,
        Long gcTimeMs,
        Map<String, long[]> gcByCollector,
        Double jitCpuSeconds,
        String jvmUnavailable) {
}
