package dev.covet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The connections that live on one event loop, and that loop's recorder for the current phase.
 * Everything here is touched only by the loop's thread, so nothing on the request path locks.
 */
final class LoopShard {
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final InetSocketAddress address;
    private final ByteBuf request;
    private final long timeoutNanos;
    private final LoadSpec.Parser parser;
    private final List<LoadConnection> connections = new ArrayList<>();
    private final java.net.SocketAddress[] sourceAddresses;
    private final long reconnectCapNanos;

    private PhaseRecorder recorder = new PhaseRecorder();
    private long deadline = Long.MIN_VALUE;
    private boolean deadlinePassed = true;
    private Promise<PhaseRecorder> drained;
    /** Connection attempts in progress plus requests in flight, over all connections of this loop. */
    int outstanding;

    LoopShard(EventLoop loop, Class<? extends Channel> channelType, InetSocketAddress address, ByteBuf request, long timeoutNanos,
            LoadSpec.Parser parser, ConnectOptions options) {
        this.loop = loop;
        this.sourceAddresses = options.sourceAddresses().stream().map(a -> new InetSocketAddress(a, 0)).toArray(java.net.SocketAddress[]::new);
        this.reconnectCapNanos = options.reconnectCap().toNanos();
        this.parser = parser;
        this.channelType = channelType;
        this.address = address;
        this.request = request;
        this.timeoutNanos = timeoutNanos;
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.MILLISECONDS.toNanos(100), timeoutNanos / 10));
        loop.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    void add(LoadConnection c) {
        connections.add(c);
    }

    /** The local address connection {@code index} binds to, or null to let the kernel choose (one source address). */
    java.net.SocketAddress sourceAddress(int index) {
        return sourceAddresses.length == 0 ? null : sourceAddresses[index % sourceAddresses.length];
    }

    /** Longest wait between two reconnection attempts of one connection. */
    long reconnectCapNanos() {
        return reconnectCapNanos;
    }

    /** Connections of this loop that are open now. */
    int openCount() {
        int n = 0;
        for (LoadConnection c : connections) {
            if (c.isOpen()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Starts the ramp: a fresh recorder that collects the connection attempts, and no phase
     * running, so nothing is sent and a failed attempt is not retried.
     */
    void beginRamp() {
        recorder = new PhaseRecorder();
        deadlinePassed = true;
        deadline = Long.MIN_VALUE;
    }

    /** Connection attempts still in progress (valid between {@link #beginRamp()} and the first phase). */
    int pendingConnects() {
        return outstanding;
    }

    EventLoop loop() {
        return loop;
    }

    Class<? extends Channel> channelType() {
        return channelType;
    }

    InetSocketAddress address() {
        return address;
    }

    ByteBuf request() {
        return request;
    }

    LoadSpec.Parser parser() {
        return parser;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    PhaseRecorder recorder() {
        return recorder;
    }

    long deadline() {
        return deadline;
    }

    boolean deadlinePassed() {
        return deadlinePassed;
    }

    /** Starts a phase on this loop; {@code done} completes with the recorder once everything has settled. */
    void beginPhase(long start, long end, Promise<PhaseRecorder> done) {
        recorder = new PhaseRecorder();
        deadline = end;
        deadlinePassed = false;
        drained = done;
        for (LoadConnection c : connections) {
            c.beginPhase(start, end);
        }
        loop.schedule(this::onDeadline, Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void onDeadline() {
        deadlinePassed = true;
        for (LoadConnection c : connections) {
            recorder.unsent += c.unsent(deadline);
        }
        maybeDrained();
    }

    /** Completes the phase once the deadline has passed and nothing is outstanding. */
    void maybeDrained() {
        if (deadlinePassed && outstanding == 0 && drained != null) {
            Promise<PhaseRecorder> p = drained;
            drained = null;
            p.setSuccess(recorder);
        }
    }

    /** Settles whatever is still in flight as timed out; used only if draining overran its bound. */
    void forceSettle() {
        long now = System.nanoTime();
        for (LoadConnection c : connections) {
            c.forceSettle(now);
        }
        if (drained != null) {
            // Only a connection attempt can still be pending here, and it is no request.
            recorder.sample(ErrorKind.TIMEOUT, "phase closed with " + outstanding + " connection attempt(s) unresolved");
            Promise<PhaseRecorder> p = drained;
            drained = null;
            p.setSuccess(recorder);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        try {
            for (LoadConnection c : connections) {
                c.sweep(now, timeoutNanos);
            }
        } catch (RuntimeException | Error e) {
            // Netty cancels a periodic task that throws, and keeps the exception in its future,
            // which nobody reads: say it here, or timeouts would stop being detected unnoticed.
            System.err.println("covet-bench: the timeout sweep of an event loop failed; no more timeouts will be detected: " + e);
            e.printStackTrace();
            throw e;
        }
    }

    void closeAll() {
        for (LoadConnection c : connections) {
            c.close();
        }
    }
}
