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
 * Cuts off a client that starts a request but does not finish its header block within
 * {@code covet.header-read-timeout} (the "slowloris" attack), answering 408. Sits in front of the
 * HTTP decoder, so it sees raw bytes: the clock starts at the first byte of a request and stops when
 * the connection reports the headers complete; it is off while a request is being handled.
 */
final class RequestHeaderTimeout extends ChannelInboundHandlerAdapter {
    private static final byte[] RESPONSE_408 = response408();

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean handlingRequest;

    RequestHeaderTimeout(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer == null && !handlingRequest && msg instanceof ByteBuf buf && buf.isReadable()) {
            timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** The decoder produced a request: stop the clock until that request is answered. */
    void headersReceived() {
        handlingRequest = true;
        cancel();
    }

    /** The request was answered and the connection is kept open: the next request's bytes start the clock. */
    void requestCompleted() {
        handlingRequest = false;
    }

    private void expire() {
        timer = null;
        if (!handlingRequest && ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE_408)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private static byte[] response408() {
        String body = "{\"type\":\"urn:covet:problem:request-timeout\",\"title\":\"Request Timeout\",\"status\":408,"
                + "\"detail\":\"The request headers did not arrive in time\"}";
        return ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\nServer: covet\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
