package dev.covet.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive HTTP/1.1 connection of the load generator, and everything that happens to its
 * requests. All methods run on the connection's event-loop thread.
 *
 * <p>Requests in flight are kept in a ring, oldest first (HTTP/1.1 answers in order). Each entry
 * holds the intended send time (latency is measured from it) and the actual write time (the
 * timeout is counted from it). Every request leaves the ring in exactly one way: a response
 * (success or a validation error), a timeout, a reset, or a protocol error.
 */
final class Connection implements Pacing.Sender {
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LoopShard shard;
    private final Pacing pacing;
    private final int depth;
    private final BodyMatcher matcher;
    private final int expectedStatus;
    private final long[] intended;
    private final long[] writtenAt;
    private final Runnable wakeTask = this::onWake;
    private final Runnable reconnectTask = this::onReconnectDue;

    private int head;
    private int size;
    private Channel channel;
    private boolean connecting;
    private boolean everConnected;
    private long connectStartedAt;
    private int unproductive;
    private int status;
    private boolean informational;
    private boolean needsFlush;
    private long wakeAt = Long.MAX_VALUE;
    private ScheduledFuture<?> wake;
    private ScheduledFuture<?> reconnect;
    private String lastCause;

    Connection(LoopShard shard, Pacing pacing, int depth, ResponseCheck check) {
        this.shard = shard;
        this.pacing = pacing;
        this.depth = depth;
        this.matcher = check.newMatcher();
        this.expectedStatus = check.expectedStatus();
        this.intended = new long[depth];
        this.writtenAt = new long[depth];
    }

    // ---- phase control (called by LoopShard) ----

    void beginPhase(long start, long end) {
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

    long unsent(long end) {
        return pacing.unsent(end);
    }

    /** Fails everything still in flight after the drain bound was exceeded. */
    void forceSettle(long now) {
        if (size > 0) {
            abortInFlight(ErrorKind.TIMEOUT, now, "still in flight when the phase drain bound ran out");
            if (channel != null) {
                channel.close();
            }
        }
    }

    void close() {
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
    public void send(long intendedNanos) {
        if (size == depth) {
            throw new IllegalStateException("pacing sent beyond the pipelining depth");
        }
        int slot = (head + size) % depth;
        intended[slot] = intendedNanos;
        writtenAt[slot] = System.nanoTime();
        size++;
        shard.outstanding++;
        shard.recorder().sent++;
        channel.write(shard.request().duplicate(), channel.voidPromise());
        needsFlush = true;
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

    private void pumpAndFlush(long now) {
        pacing.pump(this, now);
        flushIfNeeded();
    }

    private void flushIfNeeded() {
        if (needsFlush && channel != null) {
            needsFlush = false;
            channel.flush();
        }
    }

    // ---- connecting ----

    private void connect() {
        PhaseRecorder r = shard.recorder();
        r.connectAttempts++;
        if (everConnected || unproductive > 0) {
            r.reconnects++;
        }
        connecting = true;
        shard.outstanding++;
        connectStartedAt = System.nanoTime();
        Bootstrap b = new Bootstrap()
                .group(shard.loop())
                .channel(shard.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, shard.timeoutNanos() / 1_000_000))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Inbound inbound = new Inbound(ch);
                        if (shard.parser() == LoadSpec.Parser.NETTY) {
                            ch.pipeline().addLast(new HttpResponseDecoder(new HttpDecoderConfig().setValidateHeaders(false)));
                        } else {
                            ch.pipeline().addLast(new ResponseParser(inbound));
                        }
                        ch.pipeline().addLast(inbound);
                    }
                });
        b.connect(shard.address()).addListener((ChannelFuture f) -> onConnected(f));
    }

    private void onConnected(ChannelFuture f) {
        connecting = false;
        shard.outstanding--;
        long now = System.nanoTime();
        if (f.isSuccess()) {
            channel = f.channel();
            everConnected = true;
            lastCause = null;
            pumpAndFlush(now);
        } else {
            PhaseRecorder r = shard.recorder();
            r.record(ErrorKind.CONNECT, now - connectStartedAt, now);
            r.sample(ErrorKind.CONNECT, describe(f.cause()));
            unproductive++;
            scheduleReconnect(now);
        }
        shard.maybeDrained();
    }

    private void scheduleReconnect(long now) {
        if (shard.deadlinePassed() || now >= shard.deadline()) {
            return;
        }
        if (unproductive == 0) {
            connect();
            return;
        }
        long delay = Math.min(MAX_BACKOFF_NANOS, TimeUnit.MILLISECONDS.toNanos(1L << Math.min(10, unproductive - 1)));
        reconnect = shard.loop().schedule(reconnectTask, delay, TimeUnit.NANOSECONDS);
    }

    private void onReconnectDue() {
        reconnect = null;
        if (channel == null && !connecting && !shard.deadlinePassed()) {
            connect();
        }
    }

    // ---- responses ----

    private void onResponseHead(int code) {
        status = code;
        informational = code < 200;
        matcher.reset();
    }

    private void onContent(ByteBuf content) {
        if (!informational) {
            matcher.accept(content);
        }
    }

    private void onResponseEnd(Channel ch) {
        if (informational) {
            informational = false;
            return;
        }
        long now = System.nanoTime();
        PhaseRecorder r = shard.recorder();
        if (size == 0) {
            r.unsolicited++;
            r.sample(ErrorKind.PROTOCOL, "response " + status + " arrived with no request outstanding");
            ch.close();
            return;
        }
        long started = intended[head];
        head = (head + 1) % depth;
        size--;
        shard.outstanding--;
        ErrorKind kind = null;
        // The expected status comes first: a scenario may expect a 4xx (a rejected invalid body).
        if (status != expectedStatus && (status < 200 || status > 299)) {
            kind = ErrorKind.NON_2XX;
            r.sample(kind, "status " + status);
        } else if (status != expectedStatus) {
            kind = ErrorKind.WRONG_STATUS;
            r.sample(kind, "status " + status + ", expected " + expectedStatus);
        } else if (!matcher.matches()) {
            kind = ErrorKind.WRONG_BODY;
            r.sample(kind, matcher.mismatch());
        }
        r.record(kind, now - started, now);
        unproductive = 0;
        pacing.pump(this, now);
        shard.maybeDrained();
    }

    private void onProtocolError(Channel ch, String why) {
        long now = System.nanoTime();
        // A decoder failure on a dead channel is the close itself ("connection closed before the
        // response ended"): count it as a reset, not as a malformed response.
        ErrorKind kind = ch.isActive() ? ErrorKind.PROTOCOL : ErrorKind.RESET;
        abortInFlight(kind, now, (kind == ErrorKind.PROTOCOL ? "malformed response: " : "") + why);
        ch.close();
    }

    private void onInactive() {
        long now = System.nanoTime();
        channel = null;
        needsFlush = false;
        if (wake != null) {
            wake.cancel(false);
            wake = null;
            wakeAt = Long.MAX_VALUE;
        }
        if (size > 0) {
            abortInFlight(ErrorKind.RESET, now, lastCause != null ? lastCause : "connection closed with requests in flight");
            unproductive++;
        }
        scheduleReconnect(now);
        shard.maybeDrained();
    }

    /** Timeout check, called by the shard's periodic sweep. */
    void sweep(long now, long timeoutNanos) {
        if (size > 0 && now - writtenAt[head] >= timeoutNanos) {
            // HTTP/1.1 cannot cancel one request: close the connection. Requests pipelined behind
            // the stuck one could not have been answered before it, so they time out with it.
            abortInFlight(ErrorKind.TIMEOUT, now, "no response within " + timeoutNanos / 1_000_000 + " ms");
            if (channel != null) {
                channel.close();
            }
        }
    }

    private void abortInFlight(ErrorKind kind, long now, String why) {
        PhaseRecorder r = shard.recorder();
        r.sample(kind, why);
        while (size > 0) {
            r.record(kind, now - intended[head], now);
            head = (head + 1) % depth;
            size--;
            shard.outstanding--;
        }
        shard.maybeDrained();
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m != null ? ": " + m : "");
    }

    /** The per-channel handler; events from a channel that is no longer current are ignored. */
    private final class Inbound extends ChannelInboundHandlerAdapter implements ResponseParser.Listener {
        private final Channel ch;

        Inbound(Channel ch) {
            this.ch = ch;
        }

        private boolean current() {
            return ch == channel;
        }

        @Override
        public void onStatus(int code) {
            if (current()) {
                onResponseHead(code);
            }
        }

        @Override
        public void onBody(ByteBuf chunk) {
            if (current()) {
                onContent(chunk);
            }
        }

        @Override
        public void onEnd() {
            if (current()) {
                onResponseEnd(ch);
            }
        }

        @Override
        public void onMalformed(String why) {
            if (current()) {
                onProtocolError(ch, why);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!current()) {
                    return;
                }
                if (msg instanceof HttpResponse r) {
                    if (r.decoderResult().isFailure()) {
                        onProtocolError(ch, describe(r.decoderResult().cause()));
                        return;
                    }
                    onResponseHead(r.status().code());
                }
                if (msg instanceof HttpContent c) {
                    if (c.decoderResult().isFailure()) {
                        onProtocolError(ch, describe(c.decoderResult().cause()));
                        return;
                    }
                    onContent(c.content());
                    if (msg instanceof LastHttpContent) {
                        onResponseEnd(ch);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (current()) {
                flushIfNeeded();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (current()) {
                onInactive();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (current()) {
                lastCause = describe(cause);
            }
            ctx.close();
        }
    }
}
