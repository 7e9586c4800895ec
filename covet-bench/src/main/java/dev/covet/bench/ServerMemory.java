package dev.covet.bench;

import java.io.IOException;

/**
 * The target's memory and open files at one instant, for the per-connection figures.
 *
 * @param rssKb           VmRSS of /proc/&lt;pid&gt;/status
 * @param heapUsedBytes   heap in use right after a full collection the harness asked for over JMX
 *                        (so garbage is not counted), or null if the JVM cannot be read
 * @param openFds         file descriptors the target has open (each accepted connection is one)
 * @param heapUnavailable why heapUsedBytes is null, or null
 */
public record ServerMemory(long rssKb, Long heapUsedBytes, long openFds, String heapUnavailable) {

    /** Reads the target now: heap first (the collection it asks for may shrink RSS a little), then /proc. */
    static ServerMemory sample(long pid, JvmTelemetry jvm) throws IOException {
        Long heap = null;
        String why = jvm.unavailableReason();
        if (jvm.available()) {
            try {
                heap = jvm.heapUsedAfterGc();
            } catch (Exception e) {
                why = "JMX heap read failed: " + JvmTelemetry.describe(e);
            }
        }
        return new ServerMemory(LinuxProc.statusKb(pid, "VmRSS"), heap, OpenFiles.open(pid), heap == null ? why : null);
    }
}
