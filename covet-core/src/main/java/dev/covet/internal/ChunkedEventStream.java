package dev.covet.internal;

import dev.covet.Context;
import dev.covet.SseStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.GenericFutureListener;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SseStream} written through the exchange's {@link ChunkedOutput}, one flushed piece per
 * event, so it inherits the output's backpressure: a send waits while the connection is not
 * writable and fails after {@code covet.write-timeout}.
 *
 * <p>Design. Writers from any thread take {@link #writeLock}, so events never interleave and the
 * output (which is not thread-safe) has one writer at a time. Closing is separate and lock-free (a
 * compare-and-set on {@link #closeReason}), because it must work while a writer is blocked: the
 * client leaving (the channel's close future), {@link #close()}, a failed write, the server draining
 * and the handler returning all funnel into {@link #closeWith}, which wakes {@link #awaitClose()} and
 * runs the onClose actions exactly once each. Only a failed write closes the connection as well; the
 * other ends let the response finish normally.
 */
final class ChunkedEventStream implements SseStream {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkedEventStream.class);

    private final Exchange exchange;
    private final Channel channel;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
    private final GenericFutureListener<ChannelFuture> clientGone = future -> closeOnOtherThread("The client closed the connection");
    private OutputStream output;       // guarded by writeLock; created at the first write
    private volatile IOException failure;

    ChunkedEventStream(Exchange exchange) {
        this.exchange = exchange;
        this.channel = exchange.connection.channel();
    }

    /** Starts watching for the client leaving and for the server stopping. */
    void open() {
        AppRuntime runtime = exchange.connection.runtime();
        runtime.eventStreams.add(this);
        if (runtime.draining) {
            closeOnOtherThread("The server is stopping");
        }
        channel.closeFuture().addListener(clientGone);
        if (exchange.connection.eventStreamOpen(true)) {
            closeOnOtherThread("The client closed the connection");
        }
    }

    /**
     * The handler returned: close (running the remaining onClose actions here) and stop watching. If
     * nothing was sent the response is not started here, so an exception the handler threw can still
     * become an error response.
     */
    void end() {
        closeWith("The event stream has ended");
        runCloseActions();
        writeLock.lock(); // a sender on another thread finishes its event before the response ends
        writeLock.unlock();
        channel.closeFuture().removeListener(clientGone);
        exchange.connection.eventStreamOpen(false);
        exchange.connection.runtime().eventStreams.remove(this);
    }

    /** Why the stream failed (a write error or timeout), if it did; the connection must then be closed. */
    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    JsonCodec json() {
        return exchange.connection.runtime().json;
    }

    // ---- SseStream ------------------------------------------------------------------------------

    @Override
    public Context context() {
        return exchange;
    }

    @Override
    public Optional<String> lastEventId() {
        return exchange.header("Last-Event-ID");
    }

    @Override
    public void send(String data) {
        new PendingEvent(this, null).data(data).send();
    }

    @Override
    public Event event(String name) {
        return new PendingEvent(this, EventStreamFormat.checkName(name));
    }

    @Override
    public Event event() {
        return new PendingEvent(this, null);
    }

    @Override
    public void comment(String text) {
        write(EventStreamFormat.comment(text == null ? "" : text));
    }

    @Override
    public boolean isOpen() {
        return closeReason.get() == null && channel.isActive();
    }

    @Override
    public void onClose(Runnable action) {
        closeActions.add(action);
        if (closeReason.get() != null && closeActions.remove(action)) {
            run(action);
        }
    }

    @Override
    public void awaitClose() throws InterruptedException {
        writeLock.lock();
        try {
            if (closeReason.get() == null) {
                commit(); // the client should see the response start even if no event comes for a while
            }
        } catch (IOException e) {
            fail(e);
        } finally {
            writeLock.unlock();
        }
        closed.await();
    }

    @Override
    public void close() {
        closeOnOtherThread("The event stream was closed by the server");
    }

    // ---- writing --------------------------------------------------------------------------------

    /** Writes one whole event (or comment) and flushes it. */
    void write(byte[] bytes) {
        writeLock.lock();
        try {
            String reason = closeReason.get();
            if (reason != null) {
                throw new StreamClosedException(failure != null ? failure : new IOException(reason));
            }
            commit();
            output.write(bytes);
            output.flush();
        } catch (IOException e) {
            fail(e);
            throw new StreamClosedException(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends the status line and headers if that has not happened yet. Caller holds the write lock. */
    private void commit() throws IOException {
        if (output == null) {
            output = exchange.output();
            output.flush();
        }
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        closeOnOtherThread(e.getMessage());
    }

    // ---- closing --------------------------------------------------------------------------------

    /** Closes unless already closed; true if this call closed it. */
    private boolean closeWith(String reason) {
        if (closeReason.compareAndSet(null, reason)) {
            closed.countDown();
            return true;
        }
        return false;
    }

    /** Closes, running the onClose actions on a fresh virtual thread so the caller (often an I/O thread) never blocks. */
    void closeOnOtherThread(String reason) {
        if (closeWith(reason) && !closeActions.isEmpty()) {
            Thread.ofVirtual().name("covet-sse-close").start(this::runCloseActions);
        }
    }

    private void runCloseActions() {
        for (Runnable action : closeActions) {
            if (closeActions.remove(action)) { // only one thread wins each action
                run(action);
            }
        }
    }

    private void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("An SSE onClose action for {} failed", exchange.path(), e);
        }
    }
}
