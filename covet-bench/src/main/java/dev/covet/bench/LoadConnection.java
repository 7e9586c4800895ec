package dev.covet.bench;

/**
 * One connection of the load generator as its {@link LoopShard} drives it: HTTP/1.1
 * ({@link Connection}) or WebSocket ({@link WsConnection}). Every method runs on the shard's
 * event-loop thread.
 */
interface LoadConnection {

    /** Opens the connection without sending anything (the ramp before the phases); a no-op if open or opening. */
    void open();

    /** Whether the connection is open and ready to send (for a WebSocket: the handshake is done). */
    boolean isOpen();

    /** A phase begins: send according to the pacing between {@code start} and {@code end}. */
    void beginPhase(long start, long end);

    /** Requests the pacing wanted before {@code end} but never sent. */
    long unsent(long end);

    /** Fails everything still in flight after the drain bound was exceeded. */
    void forceSettle(long now);

    /** Times out the oldest request if it has waited {@code timeoutNanos} since it was written. */
    void sweep(long now, long timeoutNanos);

    void close();
}
