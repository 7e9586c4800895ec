package dev.covet.bench;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The counters and the latency histogram of one phase on one event loop. Written only by that
 * loop's thread; read by the harness after the phase has drained.
 */
final class PhaseRecorder {
    static final long MAX_LATENCY_US = LoadSpec.MAX_LATENCY.toNanos() / 1000;
    private static final int SAMPLES_PER_KIND = 5;

    final Histogram histogram = new Histogram(MAX_LATENCY_US, 3);
    final long[] errors = new long[ErrorKind.values().length];
    final Map<ErrorKind, Set<String>> samples = new EnumMap<>(ErrorKind.class);
    /** Failed responses by status code (non-2xx and wrong-status), so a 429 and a 503 are told apart. */
    final long[] failedStatuses = new long[600];
    long sent;
    long successes;
    long connectAttempts;
    long reconnects;
    long unsolicited;
    long clamped;
    long unsent;
    long firstCompletionAt = Long.MAX_VALUE;
    long firstLatencyNanos = -1;
    long lastEventAt;

    /** Records one outcome: {@code kind == null} means success. */
    void record(ErrorKind kind, long latencyNanos, long now) {
        long us = Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos));
        if (us > MAX_LATENCY_US) {
            us = MAX_LATENCY_US;
            clamped++;
        }
        histogram.recordValue(us);
        if (kind == null) {
            successes++;
        } else {
            errors[kind.ordinal()]++;
        }
        if (now < firstCompletionAt) {
            firstCompletionAt = now;
            firstLatencyNanos = latencyNanos;
        }
        if (now > lastEventAt) {
            lastEventAt = now;
        }
    }

    /** Keeps the first few distinct messages of each kind, so the report can say what happened. */
    void sample(ErrorKind kind, String message) {
        Set<String> set = samples.computeIfAbsent(kind, k -> new LinkedHashSet<>());
        if (set.size() < SAMPLES_PER_KIND && message != null) {
            set.add(message);
        }
    }

    /** Counts one failed response by its status code (codes outside 0..599 count as 0). */
    void failedStatus(int status) {
        failedStatuses[status >= 0 && status < failedStatuses.length ? status : 0]++;
    }

    long errorCount() {
        long n = 0;
        for (long e : errors) {
            n += e;
        }
        return n;
    }

    /** Adds {@code other} into this recorder. */
    void add(PhaseRecorder other) {
        histogram.add(other.histogram);
        for (int i = 0; i < errors.length; i++) {
            errors[i] += other.errors[i];
        }
        for (int i = 0; i < failedStatuses.length; i++) {
            failedStatuses[i] += other.failedStatuses[i];
        }
        other.samples.forEach((k, v) -> v.forEach(m -> sample(k, m)));
        sent += other.sent;
        successes += other.successes;
        connectAttempts += other.connectAttempts;
        reconnects += other.reconnects;
        unsolicited += other.unsolicited;
        clamped += other.clamped;
        unsent += other.unsent;
        if (other.firstCompletionAt < firstCompletionAt) {
            firstCompletionAt = other.firstCompletionAt;
            firstLatencyNanos = other.firstLatencyNanos;
        }
        lastEventAt = Math.max(lastEventAt, other.lastEventAt);
    }
}
