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

/**
 * One keep-alive HTTP/1.1 connection of the load generator, and everything that happens to its
 * requests. All methods run on the connection's event-loop thread.
 *
 * <p>Requests in flight are kept in a ring, oldest first (HTTP/1.1 answers in order). Each entry
 * holds the intended send time (latency is measured from it) and the actual write time (the
 * timeout is counted from it). Every request leaves the ring in exactly one way: a response
 * (success or a validation error), a timeout, a reset, or a protocol error.
 */
final class Connection extends PacedConnection {
    private final BodyMatcher matcher;
    private final int expectedStatus;
    private final java.net.SocketAddress source;

    private int status;
    private boolean informational;

    /** {@code index} picks this connection's source address from the shard's list. */
    Connection(LoopShard shard, Pacing pacing, int depth, ResponseCheck check, int index) {
        super(shard, pacing, depth);
        this.source = shard.sourceAddress(index);
        this.matcher = check.newMatcher();
        this.expectedStatus = check.expectedStatus();
    }

    @Override
    public void send(long intendedNanos) {
        push(intendedNanos);
        channel.write(shard.request().duplicate(), channel.voidPromise());
    }

    // ---- connecting ----

    @Override
    void connect() {
        attemptStarting();
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
        (source == null ? b.connect(shard.address()) : b.connect(shard.address(), source)).addListener((ChannelFuture f) -> onConnected(f));
    }

    private void onConnected(ChannelFuture f) {
        if (f.isSuccess()) {
            opened(f.channel());
        } else {
            attemptFailed(System.nanoTime(), describe(f.cause()));
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
        pop();
        ErrorKind kind = null;
        // The expected status comes first: a scenario may expect a 4xx (a rejected invalid body).
        if (status != expectedStatus && (status < 200 || status > 299)) {
            kind = ErrorKind.NON_2XX;
            r.sample(kind, "status " + status);
            r.failedStatus(status);
        } else if (status != expectedStatus) {
            kind = ErrorKind.WRONG_STATUS;
            r.sample(kind, "status " + status + ", expected " + expectedStatus);
            r.failedStatus(status);
        } else if (!matcher.matches()) {
            kind = ErrorKind.WRONG_BODY;
            r.sample(kind, matcher.mismatch());
        }
        r.record(kind, now - started, now);
        if (kind == null) {
            productive(); // an error answer (a 503 before closing) must not reset the reconnect backoff
        }
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
        lost(System.nanoTime(), "connection closed with requests in flight");
    }

    /** Timeout check, called by the shard's periodic sweep. */
    @Override
    public void sweep(long now, long timeoutNanos) {
        if (size > 0 && now - writtenAt[head] >= timeoutNanos) {
            // HTTP/1.1 cannot cancel one request: close the connection. Requests pipelined behind
            // the stuck one could not have been answered before it, so they time out with it.
            abortInFlight(ErrorKind.TIMEOUT, now, "no response within " + timeoutNanos / 1_000_000 + " ms");
            if (channel != null) {
                channel.close();
            }
        }
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
