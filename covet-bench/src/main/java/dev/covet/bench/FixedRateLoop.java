package dev.covet.bench;

/**
 * Open-loop pacing at a fixed rate, after wrk2: request {@code k} of this connection is due at
 * {@code start + offset + k * interval}, whatever happened to the requests before it. Each
 * request carries its due time as its intended send time, and its latency is measured from
 * there. A request that could not leave on time (connection busy at full depth, connection
 * down, client late) therefore includes its waiting time in its latency, instead of the stall
 * being silently skipped: this is the coordinated-omission correction.
 *
 * <p>Requests that were due before the phase ended but were never sent are reported by
 * {@link #unsent(long)}; a run where this is not zero did not sustain the asked rate.
 */
final class FixedRateLoop implements Pacing {
    private final long intervalNanos;
    private final long offsetNanos;
    private long next;
    private long end;

    /**
     * @param intervalNanos time between two requests of this connection (connections / rate)
     * @param offsetNanos   where this connection's schedule starts inside the first interval,
     *                      so that the connections together send evenly spaced requests
     */
    FixedRateLoop(long intervalNanos, long offsetNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.intervalNanos = intervalNanos;
        this.offsetNanos = offsetNanos;
    }

    @Override
    public void beginPhase(long startNanos, long endNanos) {
        this.next = startNanos + offsetNanos;
        this.end = endNanos;
    }

    @Override
    public void pump(Sender sender, long now) {
        while (next < end && next <= now && sender.canSend() && sender.inFlight() < sender.depth()) {
            sender.send(next);
            next += intervalNanos;
        }
        if (next < end && next > now && sender.canSend() && sender.inFlight() < sender.depth()) {
            sender.wakeAt(next);
        }
    }

    @Override
    public long unsent(long endNanos) {
        if (next >= endNanos) {
            return 0;
        }
        return (endNanos - next + intervalNanos - 1) / intervalNanos;
    }

    /** The due time of the next request not yet sent. */
    long nextDue() {
        return next;
    }
}
