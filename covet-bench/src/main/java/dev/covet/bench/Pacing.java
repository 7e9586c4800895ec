package dev.covet.bench;

/**
 * Decides when a connection sends. Implementations: {@link ClosedLoop} (send when a response
 * frees a slot) and {@link FixedRateLoop} (send on a schedule, measure from the schedule).
 * Called only on the connection's event-loop thread.
 */
interface Pacing {

    /** A phase begins: no request may be sent before {@code start} or at or after {@code end}. */
    void beginPhase(long startNanos, long endNanos);

    /** Sends everything this discipline allows at {@code now}, or asks to be woken later. */
    void pump(Sender sender, long now);

    /** Requests the schedule wanted before {@code end} but that were never sent (0 for closed loop). */
    long unsent(long endNanos);

    /** What a pacing discipline needs from a connection. */
    interface Sender {
        /** Whether a request may be written now (connected, phase running). */
        boolean canSend();

        /** Requests written and not yet answered. */
        int inFlight();

        /** Maximum requests in flight. */
        int depth();

        /** Writes one request; its latency will be measured from {@code intendedNanos}. */
        void send(long intendedNanos);

        /** Asks for {@link #pump} to be called again at {@code nanos}. */
        void wakeAt(long nanos);
    }
}
