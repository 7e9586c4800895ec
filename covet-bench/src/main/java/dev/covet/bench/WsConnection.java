package dev.covet.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.net.URI;

/**
 * One WebSocket connection of the load generator (Netty's client codec: the HTTP upgrade, then
 * text frames). All methods run on the connection's event-loop thread.
 *
 * <p>Its {@link Role} decides what it sends and what it expects:
 * <ul>
 * <li>{@code ECHO}: text messages on the {@link Pacing} schedule; each must come back unchanged.
 *     Messages in flight are kept in a ring, oldest first (one connection echoes in order), with
 *     their intended send time, from which the latency is measured (with {@link FixedRateLoop}
 *     that is the coordinated-omission correction of the HTTP fixed-rate mode).</li>
 * <li>{@code IDLE}: opens and holds the connection; sends nothing and expects nothing.</li>
 * <li>{@code BROADCAST_SENDER} / {@code BROADCAST_RECEIVER}: members of one room. The server
 *     confirms the join with a text message starting with {@value #JOINED}; only then is the
 *     connection open. The sender's message {@code k} is settled when every receiver has it
 *     ({@link BroadcastTracker}), so its latency is "until the last member received it".</li>
 * </ul>
 *
 * <p>Accounting as in {@link Connection}: a failed TCP connect, a refused upgrade (e.g. 404) or a
 * missing join confirmation is one {@code connect} error; a message leaves the ring exactly once,
 * as a success, a {@code wrong-body}, a {@code timeout} (the connection is then closed, since a late
 * echo would be taken for the next one) or a {@code reset}.
 */
final class WsConnection extends PacedConnection {
    /** Prefix of the server's join confirmation on a broadcast endpoint. */
    static final String JOINED = "joined";

    /** What a connection sends and expects. */
    enum Role { ECHO, IDLE, BROADCAST_SENDER, BROADCAST_RECEIVER }

    private static final int ECHO_PAYLOAD_BYTES = 64;

    private final Role role;
    private final URI uri;
    private final SocketAddress source;
    private final BroadcastTracker tracker;
    private final long[] seqs;

    private long nextSeq;
    /** The channel of the attempt in progress, until it is open. */
    private Channel pending;

    WsConnection(LoopShard shard, Pacing pacing, int depth, Role role, URI uri, int index, BroadcastTracker tracker) {
        super(shard, pacing, depth);
        if ((role == Role.BROADCAST_SENDER || role == Role.BROADCAST_RECEIVER) != (tracker != null)) {
            throw new IllegalArgumentException("broadcast roles, and only they, need a tracker");
        }
        this.role = role;
        this.uri = uri;
        this.source = shard.sourceAddress(index);
        this.tracker = tracker;
        this.seqs = new long[depth];
        if (role == Role.BROADCAST_SENDER) {
            tracker.sender(this);
        }
    }

    Role role() {
        return role;
    }

    @Override
    public void sweep(long now, long timeoutNanos) {
        if (connecting && pending != null && now - connectStartedAt >= 2 * timeoutNanos) {
            // TCP connect and upgrade each have their own timeout; this bounds the join confirmation.
            Channel p = pending;
            failAttempt(now, "no join confirmation within " + 2 * timeoutNanos / 1_000_000 + " ms of connecting");
            p.close();
            return;
        }
        if (role == Role.BROADCAST_SENDER) {
            // Messages are tracked by number, so each one times out alone and the room stays open.
            PhaseRecorder r = shard.recorder();
            while (size > 0 && now - writtenAt[head] >= timeoutNanos) {
                r.sample(ErrorKind.TIMEOUT, tracker.describeMissing(seqs[head]) + " within " + timeoutNanos / 1_000_000 + " ms");
                r.record(ErrorKind.TIMEOUT, now - intended[head], now);
                tracker.forget(seqs[head]);
                pop();
            }
            shard.maybeDrained();
        } else if (size > 0 && now - writtenAt[head] >= timeoutNanos) {
            // A late echo would be taken for the next message's: give up on the connection.
            abortInFlight(ErrorKind.TIMEOUT, now, "no echo within " + timeoutNanos / 1_000_000 + " ms");
            if (channel != null) {
                channel.close();
            }
        }
    }

    @Override
    public void close() {
        super.close();
        if (pending != null) {
            pending.close();
        }
    }

    @Override
    public boolean canSend() {
        return super.canSend() && (role == Role.ECHO || role == Role.BROADCAST_SENDER);
    }

    @Override
    public void send(long intendedNanos) {
        long seq = nextSeq++;
        seqs[push(intendedNanos)] = seq;
        String text;
        if (role == Role.BROADCAST_SENDER) {
            text = BroadcastTracker.message(seq);
            tracker.sent(seq, intendedNanos);
        } else {
            text = echoPayload(seq);
        }
        channel.write(new TextWebSocketFrame(text), channel.voidPromise());
    }

    @Override
    void abandoned(int slot) {
        if (role == Role.BROADCAST_SENDER) {
            tracker.forget(seqs[slot]);
        }
    }

    /** The echo message {@code seq}: its number, padded to a fixed size so every message costs the same. */
    static String echoPayload(long seq) {
        StringBuilder sb = new StringBuilder(ECHO_PAYLOAD_BYTES).append("echo ").append(seq).append(' ');
        while (sb.length() < ECHO_PAYLOAD_BYTES) {
            sb.append('x');
        }
        return sb.toString();
    }

    // ---- connecting ----

    @Override
    void connect() {
        attemptStarting();
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, shard.timeoutNanos() / 1_000_000);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .handshakeTimeoutMillis(timeoutMs)
                .maxFramePayloadLength(65_536)
                .dropPongFrames(true)
                .build();
        Bootstrap b = new Bootstrap()
                .group(shard.loop())
                .channel(shard.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(config), new Inbound(ch));
                    }
                });
        ChannelFuture f = source == null ? b.connect(shard.address()) : b.connect(shard.address(), source);
        pending = f.channel();
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess() && connecting && done.channel() == pending) {
                failAttempt(System.nanoTime(), describe(done.cause()));
            }
        });
    }

    /** The upgrade (and, in a room, the join) is done. */
    private void ready(Channel ch) {
        pending = null;
        opened(ch);
    }

    private void failAttempt(long now, String why) {
        pending = null;
        attemptFailed(now, why);
    }

    // ---- messages ----

    private void onText(Channel ch, String text) {
        long now = System.nanoTime();
        PhaseRecorder r = shard.recorder();
        boolean room = role == Role.BROADCAST_SENDER || role == Role.BROADCAST_RECEIVER;
        if (connecting && ch == pending) {
            if (room && text.startsWith(JOINED)) {
                ready(ch);
            } else {
                // An endpoint that talks before the join (or an echo endpoint that greets) is not what the scenario expects.
                r.unsolicited++;
                r.sample(ErrorKind.PROTOCOL, "message before the connection was open: " + abbreviate(text));
            }
            return;
        }
        if (ch != channel) {
            return;
        }
        switch (role) {
            case ECHO -> onEcho(ch, text, now);
            case BROADCAST_RECEIVER -> {
                if (!tracker.receipt(text, now)) {
                    r.unsolicited++;
                    r.sample(ErrorKind.PROTOCOL, "receiver got a message that is no broadcast of this run: " + abbreviate(text));
                }
            }
            default -> {
                r.unsolicited++;
                r.sample(ErrorKind.PROTOCOL, role + " connection got an unexpected message: " + abbreviate(text));
            }
        }
    }

    private void onEcho(Channel ch, String text, long now) {
        PhaseRecorder r = shard.recorder();
        if (size == 0) {
            r.unsolicited++;
            r.sample(ErrorKind.PROTOCOL, "message arrived with none outstanding: " + abbreviate(text));
            ch.close();
            return;
        }
        long started = intended[head];
        long seq = seqs[head];
        pop();
        ErrorKind kind = null;
        if (!text.equals(echoPayload(seq))) {
            kind = ErrorKind.WRONG_BODY;
            r.sample(kind, "echo of message " + seq + " differs: " + abbreviate(text));
        } else {
            productive();
        }
        r.record(kind, now - started, now);
        pacing.pump(this, now);
        shard.maybeDrained();
    }

    /** Called by the tracker when every receiver has message {@code seq}. */
    void delivered(long seq, long now) {
        PhaseRecorder r = shard.recorder();
        if (size == 0 || seqs[head] != seq) {
            r.sample(ErrorKind.PROTOCOL, "broadcast " + seq + " completed out of order");
            return;
        }
        long started = intended[head];
        pop();
        productive();
        r.record(null, now - started, now);
        pacing.pump(this, now);
        flushIfNeeded();
        shard.maybeDrained();
    }

    private void onInactive(Channel ch) {
        long now = System.nanoTime();
        if (connecting && ch == pending) {
            failAttempt(now, lastCause != null ? lastCause : "closed before the connection was open");
        } else if (ch == channel) {
            lost(now, "connection closed with messages in flight");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    /** The per-channel handler; events from a channel that is neither pending nor current are ignored. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        private final Channel ch;

        Inbound(Channel ch) {
            this.ch = ch;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE && connecting && ch == pending) {
                if (role == Role.ECHO || role == Role.IDLE) {
                    ready(ch);
                }
                // Room members wait for the server's join confirmation.
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT && connecting && ch == pending) {
                lastCause = "WebSocket upgrade not answered within the timeout";
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame t) {
                    onText(ch, t.text());
                } else if (msg instanceof WebSocketFrame f && (ch == channel || ch == pending)) {
                    shard.recorder().sample(ErrorKind.PROTOCOL, "unexpected " + f.getClass().getSimpleName());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (ch == channel) {
                flushIfNeeded();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onInactive(ch);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ch == channel || ch == pending) {
                lastCause = describe(cause);
            }
            ctx.close();
        }
    }
}
