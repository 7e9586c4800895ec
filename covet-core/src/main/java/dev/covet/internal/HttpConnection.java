package dev.covet.internal;

import dev.covet.ProblemException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection: checks each request, routes it, runs its handler and writes the response.
 *
 * <p>Design. All fields below "event-loop state" are touched only by the connection's I/O thread.
 * A connection handles one request at a time: requests that arrive pipelined behind it are queued
 * (and reading stops once {@code covet.max-pipelined} messages wait), so responses always leave in
 * request order without a reordering buffer. A route's handler runs on a fresh virtual thread, which
 * reads the body as it streams in ({@link BodyStream}) and hands the finished response back to the
 * I/O thread in one task; a non-blocking route runs on the I/O thread once its body is complete.
 *
 * <p>Requests that could desynchronise request framing (Content-Length with Transfer-Encoding, a
 * Transfer-Encoding other than {@code chunked}, duplicate or non-numeric Content-Length, a decoder
 * error) are answered 400 and the connection is closed, which is what makes request smuggling
 * through Covet impossible.
 *
 * <p>A WebSocket route runs like a blocking route (its middleware can refuse the handshake); when it
 * accepts, this handler removes itself and {@link WebSocketConnection} takes the channel over.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    private static final AsciiString SERVER = AsciiString.cached("covet");
    private static final AsciiString CONNECTION_CLOSE = HttpHeaderValues.CLOSE;
    /** Content-Length values of small bodies, encoded once: most responses are small. */
    private static final AsciiString[] SMALL_LENGTHS = new AsciiString[1024];

    static {
        for (int i = 0; i < SMALL_LENGTHS.length; i++) {
            SMALL_LENGTHS[i] = AsciiString.cached(Integer.toString(i));
        }
    }

    /** What a handler thread returns when the I/O thread was already told what to do instead of a response. */
    private static final Object HANDED_OFF = new Object();

    private final AppRuntime runtime;
    private final ConnectionTimeouts timeouts;
    private ChannelHandlerContext ctx;
    private Channel channel;

    // ---- event-loop state ----
    private Exchange current;
    private boolean currentBodyDone;
    private long currentBodyBytes;
    private long lastBodyNanos;
    private boolean bodyOverflow;
    private CompositeByteBuf aggregating;
    private boolean closing;
    /** The client shut down its side: answer what it sent, then close (written on the I/O thread). */
    private volatile boolean inputClosed;
    /** An SSE stream is open on this connection: the end of the client's side means it left. */
    private volatile boolean eventStreamOpen;
    private final ArrayDeque<HttpObject> queued = new ArrayDeque<>();
    private HandOff handOff;
    private boolean pipelinePaused;
    private boolean bodyPaused;
    private boolean inRead;
    private boolean needsFlush;

    // ---- writability, waited on by handler threads ----
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition writabilityChanged = writeLock.newCondition();

    HttpConnection(AppRuntime runtime, ConnectionTimeouts timeouts) {
        this.runtime = runtime;
        this.timeouts = timeouts;
        timeouts.onBusyTick(this::checkStalledBody);
    }

    AppRuntime runtime() {
        return runtime;
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** The connection's channel, so a long-lived response (SSE) can notice the client leaving. */
    Channel channel() {
        return channel;
    }

    String remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress()
                : String.valueOf(channel.remoteAddress());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
    }

    // ---- inbound ------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inRead = true;
        if (closing || !(msg instanceof HttpObject http)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        handle(http);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    private void handle(HttpObject msg) {
        if (msg instanceof HttpRequest request) {
            if (current != null) {
                enqueue(msg);
                return;
            }
            timeouts.headersReceived();
            startRequest(request);
            if (msg instanceof HttpContent content) { // a decoder failure arrives as a full request
                content.release();
            }
        } else if (msg instanceof HttpContent content) {
            if (content.decoderResult().isFailure() && !(current != null && currentBodyDone)) {
                content.release();
                bodyFailed(content.decoderResult().cause());
            } else if (current != null && !currentBodyDone) {
                bodyContent(content);
            } else if (current != null) {
                enqueue(content);
            } else {
                content.release(); // the rest of a body whose request was already answered
            }
        }
    }

    private void enqueue(HttpObject msg) {
        queued.add(msg);
        if (queued.size() >= runtime.config.maxPipelined() && !pipelinePaused) {
            pipelinePaused = true;
            updateAutoRead();
        }
    }

    private void startRequest(HttpRequest request) {
        Exchange exchange = prepare(request, false);
        if (exchange != null) {
            begin(exchange);
        }
    }

    /**
     * Checks a request and routes it. Returns its {@link Exchange}, or {@code null} after answering the
     * request with an error and closing the connection, or, when {@code quietly}, {@code null} without
     * answering (a candidate for a pipelined batch that must take the ordinary path instead).
     */
    private Exchange prepare(HttpRequest request, boolean quietly) {
        String rejection = null;
        int status = 400;
        DecoderResult result = request.decoderResult();
        HttpVersion version = request.protocolVersion();
        HttpHeaders headers = request.headers();
        RouteMethod method = null;
        String uri = request.uri();
        int pathStart = -1;
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpLineException) {
                status = 414;
                rejection = "The request line exceeds " + runtime.config.maxRequestLine() + " bytes";
            } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                status = 431;
                rejection = "The request headers exceed " + runtime.config.maxHeaderSize() + " bytes";
            } else {
                rejection = "Malformed request: " + safeMessage(cause);
            }
        } else if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
            status = 505;
            rejection = "Only HTTP/1.0 and HTTP/1.1 are supported";
        } else if ((rejection = RequestChecks.framingError(headers, version)) != null) {
            status = 400;
        } else if ((method = RouteMethod.of(request.method().name())) == null) {
            status = 501;
            rejection = "Method " + request.method().name() + " is not implemented";
        } else if ((pathStart = RequestChecks.pathStart(uri)) < 0
                && !(method == RouteMethod.OPTIONS && uri.equals("*"))) {
            rejection = "Malformed request target";
        }
        if (rejection != null) {
            return refuse(quietly, status, rejection);
        }
        long contentLength = RequestChecks.contentLength(headers);
        Exchange exchange;
        if (pathStart < 0) { // OPTIONS *: the methods the server supports at all (RFC 9110 §9.3.7)
            if (contentLength != 0) {
                rejection = "OPTIONS * must not have a body";
            }
            exchange = new Exchange(this, request, runtime.automaticOptions, "*", null, null, null,
                    java.util.EnumSet.allOf(RouteMethod.class), false);
        } else {
            int queryAt = uri.indexOf('?', pathStart);
            String path = queryAt < 0 ? uri.substring(pathStart) : uri.substring(pathStart, queryAt);
            String query = queryAt < 0 ? null : uri.substring(queryAt + 1);
            Router.Match<CompiledRoute> match = runtime.router.find(method, path);
            CompiledRoute route = switch (match.status()) {
                case FOUND -> match.target();
                case NOT_FOUND -> runtime.notFound;
                case METHOD_NOT_ALLOWED -> method == RouteMethod.OPTIONS ? runtime.automaticOptions : runtime.methodNotAllowed;
            };
            exchange = new Exchange(this, request, route, path, query, match.paramNames(), match.paramValues(),
                    match.allowed(), method == RouteMethod.HEAD);
            if (contentLength > route.maxBodySize()) {
                status = 413;
                rejection = "The request body (" + contentLength + " bytes) exceeds the limit of "
                        + route.maxBodySize() + " bytes";
            }
        }
        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (rejection == null && expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
            status = 417;
            rejection = "Unsupported expectation '" + expect + "'";
        }
        if (rejection != null) {
            return refuse(quietly, status, rejection);
        }
        exchange.declaredLength = contentLength;
        exchange.expectsContinue = expect != null;
        return exchange;
    }

    /** {@link #prepare}'s refusal: answered and closed, or (quietly) only declined. Returns null. */
    private Exchange refuse(boolean quietly, int status, String detail) {
        if (!quietly) {
            rejectAndClose(status, detail);
        }
        return null;
    }

    /** Makes {@code exchange} the current one and starts its handler, or waits for its body if it runs on the I/O thread. */
    private void begin(Exchange exchange) {
        long contentLength = exchange.declaredLength;
        if (contentLength != 0 && exchange.request.protocolVersion() == HttpVersion.HTTP_1_1 && exchange.expectsContinue) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        current = exchange;
        currentBodyDone = false;
        currentBodyBytes = 0;
        bodyOverflow = false;
        if (exchange.route.nonBlocking()) {
            if (contentLength != 0) {
                aggregating = ctx.alloc().compositeBuffer(1024);
                lastBodyNanos = System.nanoTime();
            }
        } else {
            if (contentLength != 0) {
                exchange.bodyStream = new BodyStream(this::pauseForBody, this::resumeAfterBody,
                        BodyStream.timeoutNanos(runtime.config.idleTimeout()));
            }
            handOff().start(group -> runOnHandlerThread(exchange, group));
        }
    }

    /**
     * Pipelined requests waiting at the head of the queue that one virtual thread can handle one after
     * another, handing their responses back together: at least two GET-like requests (no body, no
     * upgrade, keep-alive, HTTP/1.1) for blocking routes. Removes them from the queue; {@code null}
     * (queue untouched) if there are fewer than two. One hand-off per batch instead of one per
     * request is what makes pipelining cheap with handlers on virtual threads (ADR 0001).
     */
    private List<Exchange> takeBatch() {
        if (queued.size() < 4) {
            return null;
        }
        List<Exchange> batch = null;
        var it = queued.iterator();
        while (it.hasNext() && (batch == null || batch.size() < runtime.config.maxPipelined())) {
            if (!(it.next() instanceof HttpRequest request) || request instanceof HttpContent
                    || !it.hasNext() || !(it.next() instanceof LastHttpContent end) || end.content().isReadable()
                    || !mayJoinBatch(request) || !(prepare(request, true) instanceof Exchange exchange)
                    || exchange.route.nonBlocking()) {
                break;
            }
            if (batch == null) {
                batch = new java.util.ArrayList<>(8);
            }
            batch.add(exchange);
        }
        if (batch == null || batch.size() < 2) {
            return null;
        }
        for (int i = 0; i < batch.size() * 2; i++) {
            ReferenceCountUtil.release(queued.poll()); // the requests (now in their exchanges) and their empty ends
        }
        return batch;
    }

    private HandOff handOff() {
        if (handOff == null) {
            handOff = HandOff.of(channel.eventLoop(), runtime.handlers);
        }
        return handOff;
    }

    private void beginBatch(List<Exchange> batch) {
        timeouts.headersReceived();
        current = batch.getLast(); // later requests queue behind the batch; its last response clears it
        currentBodyDone = true;
        currentBodyBytes = 0;
        bodyOverflow = false;
        handOff().start(group -> runBatchOnHandlerThread(batch, group));
    }

    private static boolean mayJoinBatch(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return request.protocolVersion() == HttpVersion.HTTP_1_1 && request.decoderResult().isSuccess()
                && !headers.contains(HttpHeaderNames.CONTENT_LENGTH) && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                && !headers.contains(HttpHeaderNames.UPGRADE) && !headers.contains(HttpHeaderNames.EXPECT)
                && !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
    }

    private void bodyContent(HttpContent content) {
        Exchange exchange = current;
        ByteBuf data = content.content();
        boolean last = content instanceof LastHttpContent;
        if (aggregating != null) { // the stall check's clock; a streamed body has its own (BodyStream)
            lastBodyNanos = System.nanoTime();
        }
        if (bodyOverflow) {
            content.release();
        } else if ((currentBodyBytes += data.readableBytes()) > exchange.route.maxBodySize()) {
            content.release();
            failBody(413, "The request body exceeds " + exchange.route.maxBodySize() + " bytes");
            return;
        } else if (aggregating != null) {
            aggregating.addComponent(true, data);
        } else if (exchange.bodyStream != null) {
            exchange.bodyStream.offer(data);
        } else {
            content.release();
        }
        if (!last) {
            return;
        }
        currentBodyDone = true;
        if (exchange.bodyStream != null) {
            exchange.bodyStream.end();
        }
        if (exchange.route.nonBlocking()) {
            exchange.aggregatedBody = aggregating;
            aggregating = null;
            runOnEventLoop(exchange);
        }
    }

    /**
     * The body of the current request cannot be completed (decoding failed, it grew past the limit, it
     * stalled). A non-blocking route has not run yet: answer here and close. A blocking route's handler
     * is already running: its body read fails with {@code status}, its error path answers, and the
     * connection closes after that answer because the body never ended. Either way no later byte on
     * this connection is taken for a request.
     */
    private void failBody(int status, String detail) {
        Exchange exchange = current;
        bodyOverflow = true; // from now on body content is dropped, and complete() will close
        if (exchange == null) {
            rejectAndClose(status, detail);
            return;
        }
        if (aggregating != null || exchange.bodyStream == null) {
            if (aggregating != null) {
                aggregating.release();
                aggregating = null;
            }
            current = null;
            exchange.releaseRequest();
            rejectAndClose(status, detail);
            return;
        }
        exchange.bodyStream.fail(new ProblemException(status, detail));
    }

    private void bodyFailed(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            failBody(431, "The request trailers exceed " + runtime.config.maxHeaderSize() + " bytes");
        } else {
            failBody(400, "Malformed chunked body: " + safeMessage(cause));
        }
    }

    /**
     * On a handler thread: an SSE stream opens ({@code true}) or ends on this connection. Returns
     * whether the client has already shut down its side, in which case the stream should close at once.
     */
    boolean eventStreamOpen(boolean open) {
        eventStreamOpen = open;
        return open && inputClosed;
    }

    /** Called by {@link ConnectionTimeouts} while a request is in progress: a body that stopped arriving. */
    private void checkStalledBody() {
        if (current != null && !currentBodyDone && aggregating != null
                && System.nanoTime() - lastBodyNanos > runtime.config.idleTimeout().toNanos()) {
            failBody(408, "The request body did not arrive in time");
        }
    }

    // ---- running handlers ---------------------------------------------------------------------

    private void runOnEventLoop(Exchange exchange) {
        Throwable thrown = null;
        try {
            exchange.route.chain().handle(exchange);
        } catch (Throwable failure) {
            thrown = failure;
        }
        CompletionStage<?> done = exchange.pending;
        if (done == null) {
            finishOnEventLoop(exchange, thrown);
            return;
        }
        exchange.pending = null;
        Throwable handlerFailure = thrown;
        done.whenComplete((ignored, failure) -> {
            Throwable answer = handlerFailure != null ? handlerFailure : unwrapped(failure);
            if (channel.eventLoop().inEventLoop()) { // completed here, e.g. by a client on this I/O thread: no hand-off
                finishOnEventLoop(exchange, answer);
            } else {
                toEventLoop(() -> finishOnEventLoop(exchange, answer), () -> {
                    exchange.releaseRequest();
                    exchange.resetBody();
                });
            }
        });
    }

    /** On the I/O thread: answers {@code failure} if there is one, then sends the response. */
    private void finishOnEventLoop(Exchange exchange, Throwable failure) {
        if (failure != null) {
            respondWithError(exchange, failure);
        }
        Object response;
        try {
            response = fullResponse(exchange); // file() and streams are refused on non-blocking routes
        } catch (Throwable unsendable) {
            respondWithError(exchange, unsendable);
            response = fullResponse(exchange);
        }
        complete(exchange, response, true);
    }

    private void runOnHandlerThread(Exchange exchange, HandOff.Group group) {
        Object response = respondOnHandlerThread(exchange);
        if (response == HANDED_OFF) {
            return;
        }
        // If the body is still arriving the handler chose not to read it: complete() closes after this.
        group.post(() -> complete(exchange, response, true), () -> {
            exchange.releaseRequest();
            releaseResponse(response);
        });
    }

    /**
     * On a handler thread: the handlers of a pipelined batch ({@link #takeBatch}), one after another.
     * Their responses go back to the I/O thread in one task at the end, or earlier when a handler starts
     * streaming, since its chunks must follow the responses before it.
     */
    private void runBatchOnHandlerThread(List<Exchange> batch, HandOff.Group group) {
        Object[] responses = new Object[batch.size()];
        int[] handedBack = {0};
        for (int i = 0; i < batch.size(); i++) {
            Exchange exchange = batch.get(i);
            int before = i;
            exchange.beforeOutput = () -> handedBack[0] = handBack(batch, responses, handedBack[0], before, null);
            Object response = respondOnHandlerThread(exchange);
            if (response == HANDED_OFF) { // aborted mid-stream: the connection closes, the rest is never run
                batch.subList(i + 1, batch.size()).forEach(Exchange::releaseRequest);
                return;
            }
            responses[i] = response;
        }
        handBack(batch, responses, handedBack[0], batch.size(), group);
    }

    /**
     * Hands responses {@code from..to-1} of a batch to the I/O thread and returns {@code to}: through
     * {@code group} when they are the batch's last, else (a member is about to stream) at once.
     */
    private int handBack(List<Exchange> batch, Object[] responses, int from, int to, HandOff.Group group) {
        boolean last = group != null;
        Runnable task = () -> {
            for (int i = from; i < to; i++) {
                complete(batch.get(i), responses[i], last && i == to - 1);
            }
        };
        Runnable ifGone = () -> {
            for (int i = from; i < to; i++) {
                batch.get(i).releaseRequest();
                releaseResponse(responses[i]);
            }
        };
        if (last) {
            group.post(task, ifGone);
        } else {
            toEventLoop(task, ifGone);
        }
        return to;
    }

    /**
     * On a handler thread: runs the route's chain and returns the message that completes the response,
     * or {@link #HANDED_OFF} when the I/O thread has already been told what happens instead (a WebSocket
     * upgrade, or closing after a streamed response failed).
     */
    private Object respondOnHandlerThread(Exchange exchange) {
        Throwable thrown = null;
        try {
            exchange.route.chain().handle(exchange);
        } catch (Throwable failure) {
            thrown = failure;
        }
        if (exchange.pending != null) {
            Throwable failed = awaitPending(exchange);
            thrown = thrown != null ? thrown : failed;
        }
        if (thrown != null) {
            exchange.webSocket = null; // a refused WebSocket handshake is answered like any failed request
            if (exchange.output != null && exchange.output.committed()) {
                abort(exchange, thrown); // the status line is out: all we can do is cut the response short
                return HANDED_OFF;
            }
            respondWithError(exchange, thrown);
        }
        if (exchange.webSocket != null) { // WebSocketRoute accepted the handshake: no HTTP response follows
            toEventLoop(() -> upgradeToWebSocket(exchange), exchange::releaseRequest);
            return HANDED_OFF;
        }
        try {
            return finishOnHandlerThread(exchange);
        } catch (Throwable failure) {
            if (exchange.output != null && exchange.output.committed()) {
                abort(exchange, failure);
                return HANDED_OFF;
            }
            respondWithError(exchange, failure);
            return fullResponse(exchange);
        }
    }

    /** On a handler thread: waits for the stage given to {@code ctx.future}; its failure, or null. */
    private static Throwable awaitPending(Exchange exchange) {
        CompletionStage<?> done = exchange.pending;
        exchange.pending = null;
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        done.whenComplete((ignored, failure) -> outcome.complete(failure));
        try {
            return unwrapped(outcome.get());
        } catch (InterruptedException e) { // the server is stopping: answer that instead of waiting on
            Thread.currentThread().interrupt();
            return e;
        } catch (ExecutionException impossible) { // outcome is only ever completed normally
            return impossible.getCause();
        }
    }

    /** What a stage failed with, without the wrapper its dependent stages add. */
    private static Throwable unwrapped(Throwable failure) {
        return (failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * On the I/O thread: the WebSocket route (and its middleware) accepted the opening handshake. This
     * handler leaves the pipeline and {@link WebSocketConnection} answers 101 and takes the channel. A
     * handshake followed by pipelined HTTP bytes, or one that lands while the server drains, is refused.
     */
    private void upgradeToWebSocket(Exchange exchange) {
        exchange.releaseRequest();
        if (current == exchange) {
            current = null;
        }
        if (!channel.isActive() || closing) {
            return;
        }
        if (runtime.draining) {
            rejectAndClose(503, "The server is stopping");
            return;
        }
        if (!currentBodyDone || bodyOverflow || !queued.isEmpty()) {
            rejectAndClose(400, "A WebSocket handshake must have no body and nothing pipelined behind it");
            return;
        }
        closing = true;
        ctx.pipeline().remove(this);
        WebSocketConnection.upgrade(channel, exchange, runtime);
    }

    /**
     * Hands {@code task} to this connection's I/O thread; if that thread is gone (the server stopped
     * while a handler was still running), runs {@code ifGone} here to release what the task would have.
     */
    private void toEventLoop(Runnable task, Runnable ifGone) {
        try {
            channel.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            ifGone.run();
        }
    }

    /** On the handler thread: the last bytes of a streamed body, or the message that completes the response. */
    private Object finishOnHandlerThread(Exchange exchange) throws IOException {
        if (exchange.responseStream != null) {
            try (InputStream in = exchange.responseStream; var out = exchange.output()) {
                exchange.responseStream = null;
                in.transferTo(out);
            }
        }
        if (exchange.output != null) {
            exchange.output.finish();
            return LastHttpContent.EMPTY_LAST_CONTENT;
        }
        if (exchange.responseFile != null) {
            return fileResponse(exchange);
        }
        return fullResponse(exchange);
    }

    private void respondWithError(Exchange exchange, Throwable failure) {
        try {
            runtime.errors.respond(failure, exchange);
        } catch (Throwable secondary) {
            secondary.addSuppressed(failure);
            exchange.resetBody();
            exchange.sendProblem(runtime.errors.internalError(secondary, exchange.method(), exchange.path()));
        }
    }

    private void abort(Exchange exchange, Throwable failure) {
        if (failure instanceof IOException) {
            LOG.debug("Streaming response to {} {} ended early: {}", exchange.method(), exchange.path(), failure.toString());
        } else {
            LOG.error("Handler failed after its response started streaming; closing the connection: {} {}",
                    exchange.method(), exchange.path(), failure);
        }
        if (exchange.output != null) {
            exchange.output.discard();
        }
        toEventLoop(() -> {
            exchange.releaseRequest();
            closing = true;
            current = null;
            channel.close();
        }, exchange::releaseRequest);
    }

    // ---- responses ----------------------------------------------------------------------------

    private FullHttpResponse fullResponse(Exchange exchange) {
        ByteBuf body = exchange.responseBody == null ? Unpooled.EMPTY_BUFFER : exchange.responseBody;
        exchange.responseBody = null;
        HttpHeaders headers = exchange.responseHeaders;
        addStandardHeaders(exchange, headers);
        boolean bodyless = exchange.status == 204 || exchange.status == 304 || exchange.status < 200;
        if (!bodyless) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, contentLength(body.readableBytes()));
        }
        if (exchange.head || bodyless) {
            body.release();
            body = Unpooled.EMPTY_BUFFER;
        }
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(exchange.status), body,
                headers, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
    }

    private Object fileResponse(Exchange exchange) throws IOException {
        FileChannel file = FileChannel.open(exchange.responseFile, StandardOpenOption.READ);
        long length;
        try {
            length = file.size();
        } catch (IOException e) {
            file.close();
            throw e;
        }
        long offset = exchange.fileRangeStart >= 0 ? exchange.fileRangeStart : 0;
        long count = exchange.fileRangeLength >= 0 ? exchange.fileRangeLength : length - offset;
        HttpHeaders headers = exchange.responseHeaders;
        addStandardHeaders(exchange, headers);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, count);
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(exchange.status), headers);
        if (exchange.head || count == 0) {
            file.close();
            return List.of(head, LastHttpContent.EMPTY_LAST_CONTENT);
        }
        return List.of(head, new DefaultFileRegion(file, offset, count), LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private static CharSequence contentLength(int length) {
        return length < SMALL_LENGTHS.length ? SMALL_LENGTHS[length] : Integer.toString(length);
    }

    void addStandardHeaders(Exchange exchange, HttpHeaders headers) {
        headers.set(HttpHeaderNames.SERVER, SERVER);
        headers.set(HttpHeaderNames.DATE, DateHeader.now());
        if (exchange.request.protocolVersion() == HttpVersion.HTTP_1_0 && HttpUtil.isKeepAlive(exchange.request)) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /**
     * On the I/O thread: writes the response's final message and, if {@code moveOn}, flushes and moves on
     * to the next request ({@code false} for all but the last response of a pipelined batch).
     */
    private void complete(Exchange exchange, Object response, boolean moveOn) {
        exchange.releaseRequest();
        boolean lastInFlight = current == exchange && queued.isEmpty();
        if (current == exchange) {
            current = null;
        }
        if (!channel.isActive() || closing) {
            releaseResponse(response);
            return;
        }
        // An HTTP/1.0 client gets a streamed body unframed, ended by closing the connection.
        boolean keepAlive = HttpUtil.isKeepAlive(exchange.request) && !runtime.draining && currentBodyDone
                && !(inputClosed && lastInFlight) // the last answer to a client that said it is done
                && !bodyOverflow && !(exchange.output != null && exchange.request.protocolVersion() == HttpVersion.HTTP_1_0);
        if (!keepAlive) {
            if (response instanceof FullHttpResponse full) {
                full.headers().set(HttpHeaderNames.CONNECTION, CONNECTION_CLOSE);
            } else if (response instanceof List<?> parts && parts.getFirst() instanceof DefaultHttpResponse head) {
                head.headers().set(HttpHeaderNames.CONNECTION, CONNECTION_CLOSE);
            }
            closing = true;
            releaseQueued();
            writeAndClose(response);
            return;
        }
        write(response);
        if (!moveOn) {
            return;
        }
        if (inRead) {
            needsFlush = true;
        } else {
            ctx.flush();
        }
        timeouts.requestCompleted();
        drainQueue();
    }

    /** Writes without a promise per message: a failed write reaches {@link #exceptionCaught}, which closes. */
    private void write(Object response) {
        if (response instanceof List<?> parts) {
            for (Object part : parts) {
                ctx.write(part, ctx.voidPromise());
            }
        } else {
            ctx.write(response, ctx.voidPromise());
        }
    }

    private void writeAndClose(Object response) {
        if (response instanceof List<?> parts) {
            for (int i = 0; i < parts.size() - 1; i++) {
                ctx.write(parts.get(i));
            }
            response = parts.getLast();
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static void releaseResponse(Object response) {
        if (response instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof DefaultFileRegion region) {
                    region.release();
                }
            }
        } else {
            ReferenceCountUtil.release(response);
        }
    }

    private void drainQueue() {
        while (!queued.isEmpty() && !closing) {
            if (queued.peek() instanceof HttpRequest) {
                if (current != null) {
                    break;
                }
                List<Exchange> batch = takeBatch();
                if (batch != null) {
                    beginBatch(batch);
                    break;
                }
            }
            handle(queued.poll());
        }
        if (pipelinePaused && queued.size() < runtime.config.maxPipelined() / 2 + 1) {
            pipelinePaused = false;
            updateAutoRead();
        }
        if (!inRead && needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    /**
     * Answers an unacceptable request and closes the connection: after a framing error the byte
     * stream cannot be trusted to contain request boundaries where they seem to be.
     */
    void rejectAndClose(int status, String detail) {
        closing = true;
        current = null;
        releaseQueued();
        // no instance: the request target may be what was malformed, and is never echoed back
        ByteBuf content = runtime.json.writeProblem(new ProblemException(status, detail).problem(), null, ctx.alloc());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CONNECTION, CONNECTION_CLOSE)
                .set(HttpHeaderNames.SERVER, SERVER)
                .set(HttpHeaderNames.DATE, DateHeader.now());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String safeMessage(Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        if (message == null) {
            return cause == null ? "unknown" : cause.getClass().getSimpleName();
        }
        message = message.replaceAll("[^\\x20-\\x7e]", "?"); // never echo raw bytes back
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    private void releaseQueued() {
        HttpObject msg;
        while ((msg = queued.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---- flow control ---------------------------------------------------------------------------

    private void pauseForBody() {
        onEventLoop(() -> {
            bodyPaused = true;
            updateAutoRead();
        });
    }

    private void resumeAfterBody() {
        onEventLoop(() -> {
            bodyPaused = false;
            updateAutoRead();
        });
    }

    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            toEventLoop(task, () -> { });
        }
    }

    private void updateAutoRead() {
        boolean read = !pipelinePaused && !bodyPaused;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        signalWriters();
        ctx.fireChannelWritabilityChanged();
    }

    private void signalWriters() {
        writeLock.lock();
        try {
            writabilityChanged.signalAll();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Handler thread: blocks until the connection can take more output.
     *
     * @throws IOException if the client went away or did not read for {@code covet.write-timeout}
     */
    void awaitWritable() throws IOException {
        if (channel.isWritable()) {
            return;
        }
        long deadline = System.nanoTime() + runtime.config.writeTimeout().toNanos();
        writeLock.lock();
        try {
            while (!channel.isWritable() && channel.isActive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("The client did not read the response for " + runtime.config.writeTimeout());
                }
                writabilityChanged.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to write");
        } finally {
            writeLock.unlock();
        }
        if (!channel.isActive()) {
            throw new IOException("The client closed the connection");
        }
    }

    void writeFromHandler(Object msg, boolean flush) throws IOException {
        if (!channel.isActive()) {
            ReferenceCountUtil.release(msg);
            throw new IOException("The client closed the connection");
        }
        if (flush) {
            channel.writeAndFlush(msg, channel.voidPromise());
        } else {
            channel.write(msg, channel.voidPromise());
        }
    }

    void flushFromHandler() {
        channel.flush();
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == NettyServer.DRAIN) {
            if (current == null && queued.isEmpty()) {
                closing = true;
                ctx.close();
            }
        } else if (event instanceof ChannelInputShutdownEvent) {
            // TCP cannot tell a half-close from a client that left: a finite response is still sent,
            // an event stream (which never ends by itself) is taken as abandoned.
            inputClosed = true;
            if ((current == null && queued.isEmpty()) || eventStreamOpen) {
                closing = true;
                ctx.close();
            } else if (current != null && !currentBodyDone) {
                failBody(400, "The client closed its side before the request body was complete");
            }
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseQueued();
        if (aggregating != null) {
            aggregating.release();
            aggregating = null;
        }
        Exchange exchange = current;
        if (exchange != null && exchange.bodyStream != null) {
            exchange.bodyStream.fail(new ProblemException(400, "The client closed the connection"));
        }
        signalWriters();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Connection error from {}: {}", remoteAddress(), cause.toString());
        } else {
            LOG.warn("Unexpected error on connection from {}; closing it", remoteAddress(), cause);
        }
        ctx.close();
    }
}
