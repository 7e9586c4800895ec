package dev.covet.bench;

import java.util.List;

/**
 * What a connection scenario ({@link Workload} other than requests) measured beyond its requests:
 * how many connections it got, what they cost the server, and, for a broadcast room, every receipt.
 *
 * @param workload            the workload's protocol tag
 * @param asked               connections the settings asked for
 * @param notAttempted        connections never tried because the harness's own open-file limit had no room for them (counted as failed)
 * @param notAttemptedReason  why, with the limit, or null
 * @param ramp                the opening of the connections that were tried
 * @param failedConnections   notAttempted + failed ramp attempts + attempts unresolved at the ramp's end
 * @param openAtEnd           connections still open after the measured window
 * @param sourceAddresses     the local addresses the connections were spread over (empty: the kernel's choice)
 * @param clientOpenFiles     the harness's open-file limit, and what raising it did
 * @param serverOpenFiles     the target's open-file limit, and what raising it did
 * @param before              the target before any connection was opened (scale workloads), or null
 * @param plateau             the target with the connections open, after the measured window, or null
 * @param rssPerConnectionBytes  (plateau − before) RSS / connections open at the end (when the plateau was read), or null
 * @param heapPerConnectionBytes (plateau − before) live heap / connections open at the end, or null
 * @param requestSuccessRate  successes / (requests attempted + requests due but never sent) in the measured window, or null if none were due
 * @param deliveries          broadcast receipts of the measured window, or null
 * @param notes               anything else a reader must know about these figures
 */
public record ConnectionsResult(
        String workload,
        int asked,
        int notAttempted,
        String notAttemptedReason,
        LoadGenerator.Ramp ramp,
        long failedConnections,
        int openAtEnd,
        List<String> sourceAddresses,
        String clientOpenFiles,
        String serverOpenFiles,
        ServerMemory before,
        ServerMemory plateau,
        Double rssPerConnectionBytes,
        Double heapPerConnectionBytes,
        Double requestSuccessRate,
        BroadcastTracker.Deliveries deliveries,
        List<String> notes) {

    /** Whether any connection failed, was never tried, or was lost by the end. */
    public boolean anyFailed() {
        return failedConnections > 0 || openAtEnd < ramp.established();
    }
}
