package dev.covet.bench;

/**
 * Closed-loop pacing: each connection keeps {@code depth} requests in flight and sends the next
 * one when a response arrives. Latency is measured from the actual send. This finds the maximum
 * throughput, but its latency figures suffer coordinated omission: a stalled server also stalls
 * the sender, so the requests that would have waited are never sent and never measured. Use
 * {@link FixedRateLoop} for latency under a given load.
 */
final class ClosedLoop implements Pacing {
    private long start;
    private long end;

    @Override
    public void beginPhase(long startNanos, long endNanos) {
        this.start = startNanos;
        this.end = endNanos;
    }

    @Override
    public void pump(Sender sender, long now) {
        if (now < start) {
            sender.wakeAt(start);
            return;
        }
        while (now < end && sender.canSend() && sender.inFlight() < sender.depth()) {
            sender.send(now);
        }
    }

    @Override
    public long unsent(long endNanos) {
        return 0;
    }
}
