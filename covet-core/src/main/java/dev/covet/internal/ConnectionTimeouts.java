package dev.covet.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two clocks of a connection between requests: {@code covet.idle-timeout} (no request at all:
 * close quietly) and {@code covet.header-read-timeout} (a request started but its header block has not
 * ended: answer 408 and close, the "slowloris" defence). Sits in front of the HTTP decoder, so it sees
 * raw bytes.
 *
 * <p>Design. A connection is in one of three phases: {@code IDLE} (waiting for the first byte of a
 * request; the deadline is the idle timeout from the last response), {@code HEAD} (the first byte came;
 * the deadline is the header timeout from that byte; later bytes do not extend it, which is what
 * defeats a client that trickles one byte at a time) and {@code BUSY} (the connection is handling a
 * request: no deadline here; {@link HttpConnection} watches a stalled body). Changing phase only
 * stores a deadline: there is no timer to create or cancel per request. One task per connection runs
 * at least every {@code min(idle, header)} timeout and, when a deadline is nearer than that, exactly at
 * the deadline. Because a phase always lasts at least one period before its deadline, the task is
 * never late by more than scheduling jitter.
 *
 * <p>Caveat: bytes of a pipelined request that arrived while the previous one was being handled do not
 * start the header clock (they are already inside the decoder); such a connection falls back to the
 * idle deadline, which still bounds it.
 */
final class ConnectionTimeouts extends ChannelInboundHandlerAdapter implements Runnable {
    private static final byte[] RESPONSE_408 = response408();

    private enum Phase { IDLE, HEAD, BUSY }

    private final long idleNanos;
    private final long headerNanos;
    private final long periodNanos;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.IDLE;
    private long deadline;
    private ScheduledFuture<?> timer;
    private Runnable busyCheck;
    /** Between a read's first bytes and its end: {@link #readNanos} is the time of this read. */
    private boolean inRead;
    private long readNanos;

    ConnectionTimeouts(long idleNanos, long headerNanos) {
        this.idleNanos = idleNanos;
        this.headerNanos = headerNanos;
        this.periodNanos = Math.min(idleNanos, headerNanos);
    }

    /** Run on every tick while a request is being handled (the connection checks for a stalled body). */
    void onBusyTick(Runnable check) {
        this.busyCheck = check;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (timer == null) {
            deadline = System.nanoTime() + idleNanos;
            timer = ctx.executor().schedule(this, periodNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!inRead) {
            inRead = true;
            readNanos = System.nanoTime();
        }
        if (phase == Phase.IDLE && msg instanceof ByteBuf buf && buf.isReadable()) {
            phase = Phase.HEAD;
            deadline = readNanos + headerNanos;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        ctx.fireChannelReadComplete();
    }

    /** The decoder produced a request: no deadline until that request is answered. */
    void headersReceived() {
        phase = Phase.BUSY;
    }

    /**
     * The request was answered and the connection stays open: the idle clock runs from now. During a read
     * "now" is the time the read began, at most the time it takes to answer one read's requests ago: one
     * clock read per read instead of one per response (a pipelined read answers up to 16), which was
     * ~1.5 % of a pipelined /plaintext request's CPU. The idle timeout counts in seconds.
     */
    void requestCompleted() {
        phase = Phase.IDLE;
        deadline = (inRead ? readNanos : System.nanoTime()) + idleNanos;
    }

    @Override
    public void run() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (phase == Phase.BUSY || left > 0) {
            if (phase == Phase.BUSY && busyCheck != null) {
                busyCheck.run();
            }
            long next = phase == Phase.BUSY ? periodNanos : Math.min(left, periodNanos);
            timer = ctx.executor().schedule(this, next, TimeUnit.NANOSECONDS);
            return;
        }
        if (phase == Phase.HEAD) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE_408)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close(); // an idle keep-alive connection: nothing to say
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) { // the connection became a WebSocket, which has clocks of its own
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }

    private static byte[] response408() {
        String body = "{\"type\":\"urn:covet:problem:request-timeout\",\"title\":\"Request Timeout\",\"status\":408,"
                + "\"detail\":\"The request headers did not arrive in time\"}";
        return ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\nServer: covet\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
