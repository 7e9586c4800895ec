package dev.covet.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one phase (warm-up or measurement) of one run measured on the client side.
 *
 * <p>Accounting: {@code requests = sent + errors[connect]} (a failed connection attempt counts as
 * one attempted request), and after the phase has drained {@code requests == successes + errorCount}:
 * every request ends as exactly one success or one error.
 *
 * @param phase                 "warmup" or "measure"
 * @param mode                  "closed-loop" or "fixed-rate"
 * @param connections           connections used
 * @param depth                 requests in flight per connection
 * @param targetRate            asked rate (fixed-rate mode), else null
 * @param seconds               from the phase start until the last request was settled
 * @param requests              requests attempted
 * @param sent                  requests written to a socket
 * @param successes             responses with the expected status and body
 * @param errorCount            failed requests, all kinds
 * @param errors                failed requests by {@link ErrorKind#label()}, every kind listed
 * @param errorsFlag            whether anything at all went wrong in this phase
 * @param errorSamples          the first distinct messages of each kind seen
 * @param failedStatuses        the non-2xx and wrong-status failures by status code ("429", "503"…), only codes seen
 * @param connectAttempts       connection attempts, the first ones included
 * @param reconnects            attempts after a connection had been lost or had failed
 * @param unsent                fixed-rate: requests due before the end but never sent
 * @param unsolicitedResponses  responses that arrived with no request outstanding
 * @param clampedLatencies      latencies above 60 s, recorded as 60 s
 * @param rps                   successes per second
 * @param firstRequestLatencyUs latency of the first request settled in the phase
 * @param latency               the latency distribution of every settled request, failures included
 */
public record PhaseResult(
        String phase,
        String mode,
        int connections,
        int depth,
        Double targetRate,
        double seconds,
        long requests,
        long sent,
        long successes,
        long errorCount,
        Map<String, Long> errors,
        boolean errorsFlag,
        Map<String, List<String>> errorSamples,
        Map<String, Long> failedStatuses,
        long connectAttempts,
        long reconnects,
        long unsent,
        long unsolicitedResponses,
        long clampedLatencies,
        double rps,
        Long firstRequestLatencyUs,
        LatencySummary latency) {

    static PhaseResult of(String phase, LoadSpec spec, long startNanos, long deadlineNanos, PhaseRecorder r) {
        long endNanos = Math.max(deadlineNanos, r.lastEventAt);
        double seconds = Math.max(1e-9, (endNanos - startNanos) / 1e9);
        Map<String, Long> errors = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
            errors.put(k.label(), r.errors[k.ordinal()]);
        }
        Map<String, List<String>> samples = new LinkedHashMap<>();
        r.samples.forEach((k, v) -> samples.put(k.label(), List.copyOf(v)));
        Map<String, Long> statuses = new LinkedHashMap<>();
        for (int i = 0; i < r.failedStatuses.length; i++) {
            if (r.failedStatuses[i] > 0) {
                statuses.put(Integer.toString(i), r.failedStatuses[i]);
            }
        }
        long errorCount = r.errorCount();
        long requests = r.sent + r.errors[ErrorKind.CONNECT.ordinal()];
        boolean flag = errorCount > 0 || r.unsolicited > 0 || r.clamped > 0;
        return new PhaseResult(phase, spec.mode(), spec.connections(), spec.depth(),
                spec.rate() > 0 ? spec.rate() : null, seconds, requests, r.sent, r.successes, errorCount,
                errors, flag, samples, statuses, r.connectAttempts, r.reconnects, r.unsent, r.unsolicited, r.clamped,
                r.successes / seconds, r.firstLatencyNanos < 0 ? null : r.firstLatencyNanos / 1000,
                LatencySummary.of(r.histogram));
    }
}
