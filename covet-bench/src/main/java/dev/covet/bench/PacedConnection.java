package dev.covet.bench;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What every connection of the load generator shares, whatever its protocol: the ring of
 * requests in flight (oldest first, each with its intended send time, from which its latency is
 * measured, and its write time, from which its timeout runs), the {@link Pacing} that decides when
 * to send, the wake-ups it asks for, and reconnection with a doubling backoff. Subclasses connect,
 * write and read; every request leaves the ring exactly once, through {@link #pop()} after its
 * outcome was recorded, or through {@link #abortInFlight}. All methods run on the shard's
 * event-loop thread.
 */
abstract class PacedConnection implements Pacing.Sender, LoadConnection {
    final LoopShard shard;
    final Pacing pacing;
    final int depth;
    final long[] intended;
    final long[] writtenAt;
    private final Runnable wakeTask = this::onWake;
    private final Runnable reconnectTask = this::onReconnectDue;

    int head;
    int size;
    Channel channel;
    boolean connecting;
    long connectStartedAt;
    int unproductive;
    boolean needsFlush;
    String lastCause;
    private boolean everConnected;
    /** Whether anything was answered since the connection opened; a connection closed before that counts as unproductive. */
    private boolean answered;
    private long wakeAt = Long.MAX_VALUE;
    private ScheduledFuture<?> wake;
    private ScheduledFuture<?> reconnect;

    PacedConnection(LoopShard shard, Pacing pacing, int depth) {
        this.shard = shard;
        this.pacing = pacing;
        this.depth = depth;
        this.intended = new long[depth];
        this.writtenAt = new long[depth];
    }

    /** Starts one connection attempt; it must end in {@link #opened(Channel)} or a recorded connect failure. */
    abstract void connect();

    // ---- LoadConnection ----

    @Override
    public void open() {
        if (channel == null && !connecting) {
            connect();
        }
    }

    @Override
    public boolean isOpen() {
        return channel != null;
    }

    @Override
    public void beginPhase(long start, long end) {
        pacing.beginPhase(start, end);
        if (reconnect != null) {
            reconnect.cancel(false);
            reconnect = null;
        }
        if (channel == null && !connecting) {
            connect();
        } else if (channel != null) {
            pumpAndFlush(System.nanoTime());
        }
    }

    @Override
    public long unsent(long end) {
        return pacing.unsent(end);
    }

    @Override
    public void forceSettle(long now) {
        if (size > 0) {
            abortInFlight(ErrorKind.TIMEOUT, now, "still in flight when the phase drain bound ran out");
            if (channel != null) {
                channel.close();
            }
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close();
        }
    }

    // ---- Pacing.Sender ----

    @Override
    public boolean canSend() {
        return channel != null && !shard.deadlinePassed();
    }

    @Override
    public int inFlight() {
        return size;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public void wakeAt(long nanos) {
        if (nanos >= wakeAt) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAt = nanos;
        wake = shard.loop().schedule(wakeTask, Math.max(0, nanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void onWake() {
        wake = null;
        wakeAt = Long.MAX_VALUE;
        pumpAndFlush(System.nanoTime());
    }

    void pumpAndFlush(long now) {
        pacing.pump(this, now);
        flushIfNeeded();
    }

    void flushIfNeeded() {
        if (needsFlush && channel != null) {
            needsFlush = false;
            channel.flush();
        }
    }

    // ---- the ring ----

    /** Puts a request in flight and counts it as sent; returns its slot. */
    int push(long intendedNanos) {
        if (size == depth) {
            throw new IllegalStateException("pacing sent beyond the in-flight limit");
        }
        int slot = (head + size) % depth;
        intended[slot] = intendedNanos;
        writtenAt[slot] = System.nanoTime();
        size++;
        shard.outstanding++;
        shard.recorder().sent++;
        needsFlush = true;
        return slot;
    }

    /** Removes the oldest request, whose outcome the caller has recorded. */
    void pop() {
        head = (head + 1) % depth;
        size--;
        shard.outstanding--;
    }

    /** Records every request in flight as failed with {@code kind}. */
    void abortInFlight(ErrorKind kind, long now, String why) {
        PhaseRecorder r = shard.recorder();
        r.sample(kind, why);
        while (size > 0) {
            r.record(kind, now - intended[head], now);
            abandoned(head);
            pop();
        }
        shard.maybeDrained();
    }

    /** The request in {@code slot} failed without an answer (a hook for what tracks it elsewhere). */
    void abandoned(int slot) {
    }

    // ---- connecting ----

    /** Counts a connection attempt that is starting. */
    void attemptStarting() {
        PhaseRecorder r = shard.recorder();
        r.connectAttempts++;
        if (everConnected || unproductive > 0) {
            r.reconnects++;
        }
        connecting = true;
        shard.outstanding++;
        connectStartedAt = System.nanoTime();
    }

    /** The attempt succeeded: the connection is open and sends what is due. */
    void opened(Channel ch) {
        connecting = false;
        shard.outstanding--;
        channel = ch;
        everConnected = true;
        answered = false;
        lastCause = null;
        pumpAndFlush(System.nanoTime());
        shard.maybeDrained();
    }

    /** The attempt failed: one connect error, then a retry after the backoff (within a phase). */
    void attemptFailed(long now, String why) {
        connecting = false;
        shard.outstanding--;
        PhaseRecorder r = shard.recorder();
        r.record(ErrorKind.CONNECT, now - connectStartedAt, now);
        r.sample(ErrorKind.CONNECT, why);
        unproductive++;
        scheduleReconnect(now);
        shard.maybeDrained();
    }

    /** The open connection closed: whatever was in flight is reset, and a new one is opened. */
    void lost(long now, String whyIfInFlight) {
        channel = null;
        needsFlush = false;
        if (wake != null) {
            wake.cancel(false);
            wake = null;
            wakeAt = Long.MAX_VALUE;
        }
        // Closed with requests unanswered, or before answering anything (a server refusing
        // connections over its limit answers 503 and closes): back off instead of a storm.
        boolean unanswered = size > 0 || !answered;
        if (size > 0) {
            abortInFlight(ErrorKind.RESET, now, lastCause != null ? lastCause : whyIfInFlight);
        }
        if (unanswered) {
            unproductive++;
        }
        scheduleReconnect(now);
        shard.maybeDrained();
    }

    /** A correct answer arrived: the connection works, so the next loss reconnects at once. */
    void productive() {
        unproductive = 0;
        answered = true;
    }

    private void scheduleReconnect(long now) {
        if (shard.deadlinePassed() || now >= shard.deadline()) {
            return;
        }
        if (unproductive == 0) {
            connect();
            return;
        }
        long delay = Math.min(shard.reconnectCapNanos(), TimeUnit.MILLISECONDS.toNanos(1L << Math.min(10, unproductive - 1)));
        reconnect = shard.loop().schedule(reconnectTask, delay, TimeUnit.NANOSECONDS);
    }

    private void onReconnectDue() {
        reconnect = null;
        if (channel == null && !connecting && !shard.deadlinePassed()) {
            connect();
        }
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m != null ? ": " + m : "");
    }
}
