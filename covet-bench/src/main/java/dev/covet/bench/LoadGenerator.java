package dev.covet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 load generator: N keep-alive connections on Netty's client side, closed-loop or
 * fixed-rate, every request validated, every failure counted.
 *
 * <h2>Why "coordinated omission" matters, and what this class does about it</h2>
 *
 * <p>A closed-loop load generator (wrk, ab, most home-made loops) sends the next request on a
 * connection only after the previous response has arrived. Suppose a server answers in 1 ms,
 * except once a second when it stalls for 500 ms. During the stall each connection has one
 * request waiting and sends nothing else. A real population of users would have kept arriving,
 * and about 500 of their requests (per connection, at one per millisecond) would have waited
 * between 1 and 500 ms. The closed loop records one slow sample instead of five hundred: the
 * generator has "coordinated" with the server and "omitted" exactly the measurements that
 * describe the stall. Its 99th percentile looks like 1 ms while real users would have seen
 * hundreds. Gil Tene named the effect; wrk2 and HdrHistogram are the usual remedy.
 *
 * <p>The remedy is to decide in advance when each request should be sent, independently of
 * the responses, and to measure each latency from that intended time, not from the moment the
 * request finally left. {@link FixedRateLoop} does that: with {@code --rate R} over C
 * connections each connection owns a schedule of one request every C/R seconds, offset so the
 * C schedules interleave evenly. A request that could not leave on time (the connection's
 * pipelining slots were full, the connection was down and reconnecting, or the client itself
 * was late) is sent as soon as it can be, and the time it spent waiting is part of its latency.
 * Requests still due when the phase ends are reported as {@code unsent}, so a run that did not
 * sustain the rate says so instead of quietly measuring a lower one.
 *
 * <p>Closed-loop mode ({@link ClosedLoop}) remains, because it answers a different question:
 * what is the most a server can serve. Its latency percentiles describe the generator's own
 * loop and carry the omission above; the report labels the mode of every run. Compare
 * latencies between targets only from fixed-rate runs at a rate every target sustains.
 *
 * <h2>Honest accounting</h2>
 *
 * <p>Each request leaves the in-flight ring of its {@link Connection} exactly once: as a
 * success, or as one {@link ErrorKind}. Failures are recorded in the same histogram as
 * successes with their elapsed time (a timed-out request costs its full timeout; a refused
 * connection costs the time the refusal took), so an error can never make a percentile look
 * better. A failed connection attempt counts as one attempted request. A phase ends only when
 * everything it sent has settled (answered, failed or timed out), so nothing in flight at the
 * deadline vanishes; the phase's duration runs until that moment.
 *
 * <h2>Cost per request</h2>
 *
 * <p>The request is encoded once into a direct buffer and written as a duplicate, so no string
 * or header object is built per request. Responses are framed by {@link ResponseParser}, which
 * allocates nothing per response (Netty's {@code HttpResponseDecoder}, which builds header
 * objects and strings, remains selectable as the reference). The response body is compared
 * chunk by chunk against the expected bytes, without copying. Counters and the histogram of a phase live per event
 * loop, touched by one thread only, and are merged after the phase has drained. Writes made
 * while reading a batch of responses are flushed once per batch.
 */
public final class LoadGenerator implements AutoCloseable {
    private final LoadSpec spec;
    private final EventLoopGroup group;
    private final String transport;
    private final ByteBuf request;
    private final List<LoopShard> shards = new ArrayList<>();
    private final List<LoadConnection> all = new ArrayList<>();
    private final PrintStream log;
    private final Workload workload;
    private final BroadcastTracker tracker;

    /** Opens no connection yet; the first phase connects. Prints to {@code log} if epoll is unavailable. */
    public LoadGenerator(LoadSpec spec, PrintStream log) {
        this(spec, log, ConnectOptions.DEFAULT);
    }

    /**
     * As {@link #LoadGenerator(LoadSpec, PrintStream)}, with the connections' source addresses and
     * reconnect backoff given. The scenario's {@link Workload} decides the connection type: HTTP/1.1,
     * or WebSocket to {@code ws://host:port<path>}; for a broadcast room every connection but the
     * last is a receiver, the last one sends, and all of them share the first event loop (the
     * tracker that follows each message lives there).
     */
    LoadGenerator(LoadSpec spec, PrintStream log, ConnectOptions options) {
        this.spec = spec;
        this.log = log;
        this.workload = Workload.of(spec.scenario());
        Class<? extends Channel> channelType;
        DefaultThreadFactory threads = new DefaultThreadFactory("covet-bench-client", true);
        if (Epoll.isAvailable()) {
            group = new MultiThreadIoEventLoopGroup(spec.threads(), threads, EpollIoHandler.newFactory());
            channelType = EpollSocketChannel.class;
            transport = "epoll";
        } else {
            Throwable cause = Epoll.unavailabilityCause();
            String why = cause == null ? "unknown cause" : cause.toString();
            log.println("covet-bench: WARNING: the epoll transport is unavailable (" + why + ");"
                    + " falling back to NIO. Client-side figures are not comparable with epoll runs.");
            group = new MultiThreadIoEventLoopGroup(spec.threads(), threads, NioIoHandler.newFactory());
            channelType = NioSocketChannel.class;
            transport = "nio (epoll unavailable: " + why + ")";
        }
        byte[] bytes = spec.scenario().encode(spec.host(), spec.port());
        request = Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
        InetSocketAddress address = new InetSocketAddress(spec.host(), spec.port());
        long timeoutNanos = spec.timeout().toNanos();
        for (EventExecutor e : group) {
            shards.add(new LoopShard((EventLoop) e, channelType, address, request, timeoutNanos, spec.parser(), options));
        }
        long ratePeriodNanos = spec.rate() > 0 ? Math.max(1, Math.round(1e9 / spec.rate())) : 0;
        if (workload == Workload.WS_BROADCAST && spec.connections() < 2) {
            throw new IllegalArgumentException("a broadcast room needs a sender and at least one receiver");
        }
        if (workload == Workload.WS_BROADCAST && spec.rate() <= 0) {
            throw new IllegalArgumentException("the broadcast sender needs a rate");
        }
        tracker = workload == Workload.WS_BROADCAST ? new BroadcastTracker(spec.depth()) : null;
        URI uri = URI.create("ws://" + spec.host() + ":" + spec.port() + spec.scenario().path());
        for (int i = 0; i < spec.connections(); i++) {
            LoopShard shard = shards.get(tracker != null ? 0 : i % shards.size());
            LoadConnection c = switch (workload) {
                case REQUESTS, HTTP_CONNECTIONS -> new Connection(shard, pacing(ratePeriodNanos, i), spec.depth(),
                        spec.scenario().check(), i);
                case WS_ECHO -> new WsConnection(shard, pacing(ratePeriodNanos, i), spec.depth(), WsConnection.Role.ECHO, uri, i, null);
                case WS_IDLE -> new WsConnection(shard, new NoSends(), 1, WsConnection.Role.IDLE, uri, i, null);
                case WS_BROADCAST -> i == spec.connections() - 1
                        ? new WsConnection(shard, new FixedRateLoop(ratePeriodNanos, 0), spec.depth(), WsConnection.Role.BROADCAST_SENDER,
                                uri, i, tracker)
                        : new WsConnection(shard, new NoSends(), 1, WsConnection.Role.BROADCAST_RECEIVER, uri, i, tracker);
            };
            all.add(c);
            shard.loop().execute(() -> shard.add(c));
        }
    }

    private Pacing pacing(long ratePeriodNanos, int index) {
        return spec.rate() > 0
                ? new FixedRateLoop(ratePeriodNanos * spec.connections(), ratePeriodNanos * index)
                : new ClosedLoop();
    }

    /**
     * Opens every connection before any phase, at most {@code perSecond} new ones per second,
     * in order (a broadcast room's receivers before its sender), and waits until each attempt
     * has succeeded or failed (bounded by twice the timeout after the last attempt). Nothing is
     * sent, and a failed attempt is not retried here: it is counted, and the first phase tries
     * again. Prints progress every 5 s.
     */
    Ramp ramp(double perSecond) throws InterruptedException, ExecutionException {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("ramp rate must be positive");
        }
        for (LoopShard shard : shards) {
            shard.loop().submit(shard::beginRamp).sync();
        }
        long t0 = System.nanoTime();
        long lastReport = t0;
        double gapNanos = 1e9 / perSecond;
        for (int i = 0; i < all.size(); i++) {
            long due = t0 + Math.round(i * gapNanos);
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
            }
            LoadConnection c = all.get(i);
            LoopShard shard = shards.get(tracker != null ? 0 : i % shards.size());
            if (c instanceof WsConnection ws && ws.role() == WsConnection.Role.BROADCAST_SENDER) {
                // The sender joins last, once every receiver's attempt has settled.
                awaitSettled(System.nanoTime() + 2 * spec.timeout().toNanos());
            }
            shard.loop().execute(c::open);
            if (System.nanoTime() - lastReport >= TimeUnit.SECONDS.toNanos(5)) {
                lastReport = System.nanoTime();
                log.printf("  ramp: %,d of %,d connection attempts started, %,d open%n", i + 1, all.size(), openConnections());
            }
        }
        awaitSettled(System.nanoTime() + 2 * spec.timeout().toNanos());
        double seconds = (System.nanoTime() - t0) / 1e9;
        PhaseRecorder total = new PhaseRecorder();
        int open = 0;
        int unresolved = 0;
        for (LoopShard shard : shards) {
            // One task per loop reads its counts at one instant, so no connection is counted twice.
            int[] counts = shard.loop().submit(() -> new int[] {shard.openCount(), shard.pendingConnects()}).get();
            open += counts[0];
            unresolved += counts[1];
            total.add(shard.loop().submit(shard::recorder).get());
        }
        Map<String, List<String>> samples = new LinkedHashMap<>();
        total.samples.forEach((k, v) -> samples.put(k.label(), List.copyOf(v)));
        // Failed: neither open nor still trying. That includes connections the server accepted and
        // then closed (a limit answered with 503), which are no connect error.
        return new Ramp(all.size(), total.connectAttempts, open, all.size() - open - unresolved, total.errors[ErrorKind.CONNECT.ordinal()],
                unresolved, samples, seconds, perSecond);
    }

    private boolean awaitSettled(long untilNanos) throws InterruptedException, ExecutionException {
        while (true) {
            int pending = 0;
            for (LoopShard shard : shards) {
                pending += shard.loop().submit(shard::pendingConnects).get();
            }
            if (pending == 0) {
                return true;
            }
            if (System.nanoTime() >= untilNanos) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    /** Connections open now (for a WebSocket: upgraded, and in a room: joined). */
    int openConnections() throws InterruptedException, ExecutionException {
        int open = 0;
        for (LoopShard shard : shards) {
            open += shard.loop().submit(shard::openCount).get();
        }
        return open;
    }

    /**
     * What the ramp did.
     *
     * @param connections  connections asked for
     * @param attempts     connection attempts made
     * @param established  open when the ramp ended
     * @param failed       connections neither open nor still trying when the ramp ended: refused, timed out, upgrade
     *                     refused, or accepted and then closed by the server
     * @param connectErrors attempts that failed as attempts (refused, timed out, upgrade refused…)
     * @param unresolved   attempts still neither open nor failed when the ramp's bound ran out
     * @param failures     the first distinct messages of each kind of failure (a 503 before any request shows as "protocol")
     * @param seconds      from the first attempt until all had settled
     * @param ratePerSecond the bound on new connections per second
     */
    record Ramp(int connections, long attempts, int established, long failed, long connectErrors, int unresolved,
            Map<String, List<String>> failures,
            double seconds, double ratePerSecond) {
    }

    /** The broadcast receipts of the last phase, or null if this is no broadcast workload. Call after the phase. */
    BroadcastTracker.Deliveries deliveries() throws InterruptedException, ExecutionException {
        return tracker == null ? null : shards.get(0).loop().submit(tracker::deliveries).get();
    }

    /** "epoll", or "nio (epoll unavailable: cause)". */
    public String transport() {
        return transport;
    }

    /** The spec this generator was made with. */
    public LoadSpec spec() {
        return spec;
    }

    /**
     * Runs one phase: sends for {@code duration}, then waits until every request sent has
     * settled (bounded by the timeout plus a second), and returns what was measured.
     */
    public PhaseResult runPhase(String name, Duration duration) throws InterruptedException {
        return runPhase(name, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1), duration);
    }

    /**
     * As {@link #runPhase(String, Duration)}, the phase starting at {@code start} ({@link System#nanoTime()}), so that
     * several generators can load one target in the same window.
     */
    PhaseResult runPhase(String name, long start, Duration duration) throws InterruptedException {
        long end = start + duration.toNanos();
        List<Promise<PhaseRecorder>> done = new ArrayList<>();
        if (tracker != null) {
            LoopShard room = shards.get(0);
            room.loop().submit(() -> tracker.beginPhase(room.openCount() - (senderOpen() ? 1 : 0))).sync();
        }
        for (LoopShard shard : shards) {
            Promise<PhaseRecorder> p = shard.loop().newPromise();
            done.add(p);
            shard.loop().execute(() -> shard.beginPhase(start, end, p));
        }
        long bound = end + spec.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        PhaseRecorder total = new PhaseRecorder();
        for (int i = 0; i < shards.size(); i++) {
            Promise<PhaseRecorder> p = done.get(i);
            long wait = bound - System.nanoTime();
            if (!p.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                LoopShard shard = shards.get(i);
                io.netty.util.concurrent.Future<?> forced = shard.loop().submit(shard::forceSettle);
                boolean ran = forced.await(5, TimeUnit.SECONDS);
                if (!p.await(5, TimeUnit.SECONDS)) {
                    // Say what happened to the forcing task: never ran (loop busy or blocked), or failed (and how).
                    String why = !ran ? "the loop did not run the settling task within 5 s"
                            : forced.cause() != null ? "settling failed: " + PacedConnection.describe(forced.cause())
                            : "settling ran but the phase stayed open";
                    throw new IllegalStateException("event loop " + i + " did not settle its phase; the client is stuck (" + why + ")",
                            forced.cause());
                }
            }
            total.add(p.getNow());
        }
        return PhaseResult.of(name, spec, start, end, total);
    }

    private boolean senderOpen() {
        return all.get(all.size() - 1).isOpen();
    }

    /** Closes every connection and stops the event loops. */
    @Override
    public void close() {
        for (LoopShard shard : shards) {
            shard.loop().execute(shard::closeAll);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
