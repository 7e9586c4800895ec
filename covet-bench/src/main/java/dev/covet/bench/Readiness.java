package dev.covet.bench;

import java.util.List;
import java.util.Map;

/**
 * How a target came up: polled on its probe path from the moment its process was started.
 *
 * @param ready                  whether a 2xx answer arrived in time
 * @param timeToFirstResponseMs  from process start until the first 2xx answer had been read
 * @param firstResponseLatencyUs latency of that first successful probe request
 * @param attempts               probe requests made
 * @param refused                attempts refused because nothing listened yet (expected while starting; not errors)
 * @param errors                 failed probe attempts other than refusals, by kind: these are warm-up errors
 * @param errorSamples           their first messages
 * @param failure                why the target never became ready, or null
 */
public record Readiness(
        boolean ready,
        Double timeToFirstResponseMs,
        Long firstResponseLatencyUs,
        int attempts,
        int refused,
        Map<String, Long> errors,
        List<String> errorSamples,
        String failure) {

    /** Failed probe attempts other than refusals. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
