package dev.covet.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Follows each broadcast message of one room from its send to its last receipt. Lives on the one
 * event loop that holds the sender and every receiver, so nothing here locks.
 *
 * <p>Two figures come out of it: each message's latency until the <em>last</em> member received
 * it (recorded by the sender as that message's latency, so timeouts and errors are counted as for
 * any request), and the latency of every single receipt ({@link #deliveries()}), from the
 * message's intended send time to the moment that receiver read it.
 *
 * <p>A message is expected by every receiver that is open when the phase begins. Receipts of a
 * message that already timed out are counted as {@code late}, not as deliveries.
 */
final class BroadcastTracker {
    private static final String PREFIX = "broadcast ";

    private final long[] seqOf;
    private final int[] remaining;
    private final long[] intended;
    private WsConnection sender;
    private int receivers;
    private Histogram deliveries = new Histogram(PhaseRecorder.MAX_LATENCY_US, 3);
    private long late;

    /** @param depth messages in flight at most (the sender's in-flight limit) */
    BroadcastTracker(int depth) {
        this.seqOf = new long[depth];
        this.remaining = new int[depth];
        this.intended = new long[depth];
        java.util.Arrays.fill(seqOf, -1);
    }

    /** The text of broadcast message {@code seq}. */
    static String message(long seq) {
        return PREFIX + seq;
    }

    void sender(WsConnection c) {
        if (sender != null) {
            throw new IllegalStateException("a room has one sender");
        }
        sender = c;
    }

    /** A phase begins with this many open receivers: each message must reach all of them. */
    void beginPhase(int openReceivers) {
        receivers = openReceivers;
        deliveries = new Histogram(PhaseRecorder.MAX_LATENCY_US, 3);
        late = 0;
    }

    void sent(long seq, long intendedNanos) {
        int slot = (int) (seq % seqOf.length);
        seqOf[slot] = seq;
        remaining[slot] = receivers;
        intended[slot] = intendedNanos;
    }

    /** A receiver read {@code text}; false if it is not a broadcast message at all. */
    boolean receipt(String text, long now) {
        if (!text.startsWith(PREFIX)) {
            return false;
        }
        long seq;
        try {
            seq = Long.parseLong(text, PREFIX.length(), text.length(), 10);
        } catch (NumberFormatException e) {
            return false;
        }
        int slot = (int) (seq % seqOf.length);
        if (seqOf[slot] != seq || remaining[slot] <= 0) {
            late++;
            return true;
        }
        deliveries.recordValue(Math.min(PhaseRecorder.MAX_LATENCY_US, Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - intended[slot]))));
        if (--remaining[slot] == 0) {
            sender.delivered(seq, now);
        }
        return true;
    }

    /** The sender gave up on {@code seq} (timeout or reset): later receipts of it are late. */
    void forget(long seq) {
        int slot = (int) (seq % seqOf.length);
        if (seqOf[slot] == seq) {
            remaining[slot] = -1;
        }
    }

    /** "k of M receivers had message seq", for the timeout's error message. */
    String describeMissing(long seq) {
        int slot = (int) (seq % seqOf.length);
        int missing = seqOf[slot] == seq ? Math.max(0, remaining[slot]) : receivers;
        return (receivers - missing) + " of " + receivers + " receivers had broadcast " + seq;
    }

    /** Every receipt of the current phase, and the late ones apart. */
    Deliveries deliveries() {
        return new Deliveries(receivers, deliveries.getTotalCount(), late, LatencySummary.of(deliveries));
    }

    /**
     * Receipts of one phase.
     *
     * @param receivers  open receivers when the phase began (each message was expected by all of them)
     * @param deliveries receipts in time
     * @param late       receipts of messages that had already timed out
     * @param latency    from the intended send time to each receipt
     */
    record Deliveries(int receivers, long deliveries, long late, LatencySummary latency) {
    }
}
