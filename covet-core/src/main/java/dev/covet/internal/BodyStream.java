package dev.covet.internal;

import dev.covet.ProblemException;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body as an {@link InputStream}, read by the handler's virtual thread while the I/O thread
 * is still receiving it.
 *
 * <p>The I/O thread {@link #offer offers} each chunk; the handler's thread blocks in {@link #read}
 * until one arrives. Backpressure: once more than {@link #HIGH_WATER} bytes wait unread, the
 * connection stops reading from the socket ({@code pause}); it resumes below {@link #LOW_WATER}.
 * So a client can never make the server hold more than about one high-water mark of its body in
 * memory, however fast it sends and however slowly the handler reads.
 */
final class BodyStream extends InputStream {
    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private final Runnable pause;
    private final Runnable resume;
    private final long readTimeoutNanos;
    private long queuedBytes;
    private boolean ended;
    private boolean closed;
    private boolean paused;
    private RuntimeException failure;

    BodyStream(Runnable pause, Runnable resume, long readTimeoutNanos) {
        this.pause = pause;
        this.resume = resume;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    /** I/O thread: a chunk arrived. Takes ownership of {@code chunk}. */
    void offer(ByteBuf chunk) {
        lock.lock();
        try {
            if (closed || failure != null || !chunk.isReadable()) {
                chunk.release();
                return;
            }
            chunks.add(chunk);
            queuedBytes += chunk.readableBytes();
            if (queuedBytes > HIGH_WATER && !paused) {
                paused = true;
                pause.run();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** I/O thread: the last chunk arrived. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** I/O thread: the body cannot be completed (too large, connection lost); readers get {@code cause}. */
    void fail(RuntimeException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            releaseAll();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            long deadline = System.nanoTime() + readTimeoutNanos;
            while (chunks.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                if (ended || closed) {
                    return -1;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ProblemException(408, "The request body did not arrive in time");
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the request body");
                }
            }
            ByteBuf head = chunks.peek();
            int n = Math.min(length, head.readableBytes());
            head.readBytes(target, offset, n);
            if (!head.isReadable()) {
                chunks.poll().release();
            }
            queuedBytes -= n;
            if (paused && queuedBytes < LOW_WATER) {
                paused = false;
                resume.run();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queuedBytes);
        } finally {
            lock.unlock();
        }
    }

    /** Releases what is buffered; later chunks are dropped on arrival. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            releaseAll();
            if (paused) {
                paused = false;
                resume.run();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void releaseAll() {
        ByteBuf chunk;
        while ((chunk = chunks.poll()) != null) {
            chunk.release();
        }
        queuedBytes = 0;
    }

    static long timeoutNanos(java.time.Duration d) {
        return TimeUnit.MILLISECONDS.toNanos(d.toMillis());
    }
}
