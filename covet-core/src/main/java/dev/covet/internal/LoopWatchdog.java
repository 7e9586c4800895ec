package dev.covet.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports an I/O thread that stays busy longer than the threshold, the event-loop stall that sank
 * Covet's Python ancestor. A daemon thread posts a heartbeat task to every I/O thread each
 * threshold/4; a heartbeat still unrun after the threshold means that thread is stuck in one task,
 * and its stack trace (caught while stuck) names the culprit. Each stall is reported once, with a log
 * line and a counter.
 */
public final class LoopWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.covet.watchdog");

    private final List<Probe> probes = new ArrayList<>();
    private final long thresholdNanos;
    private final AtomicLong blockedEvents = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    private static final class Probe {
        final EventExecutor loop;
        volatile Thread loopThread;
        volatile long postedAt;   // when the pending heartbeat was posted; 0 when none is pending
        volatile boolean reported;

        Probe(EventExecutor loop) {
            this.loop = loop;
        }
    }

    LoopWatchdog(EventLoopGroup group, Duration threshold) {
        this.thresholdNanos = threshold.toNanos();
        for (EventExecutor loop : group) {
            Probe probe = new Probe(loop);
            loop.execute(() -> probe.loopThread = Thread.currentThread());
            probes.add(probe);
        }
    }

    /** How many times an I/O thread was found blocked past the threshold. */
    public long blockedEvents() {
        return blockedEvents.get();
    }

    void start() {
        long tick = Math.max(1_000_000, thresholdNanos / 4);
        thread = Thread.ofPlatform().daemon().name("covet-watchdog").start(() -> {
            while (running) {
                long now = System.nanoTime();
                for (Probe probe : probes) {
                    check(probe, now);
                }
                try {
                    Thread.sleep(Duration.ofNanos(tick));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void check(Probe probe, long now) {
        long posted = probe.postedAt;
        if (posted == 0) {
            probe.postedAt = now;
            try {
                probe.loop.execute(() -> {
                    probe.postedAt = 0;
                    probe.reported = false;
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                running = false; // the server stopped between stop() and this tick: nothing left to watch
            }
            return;
        }
        if (!probe.reported && now - posted > thresholdNanos) {
            Thread stuck = probe.loopThread;
            StackTraceElement[] frames = stuck == null ? new StackTraceElement[0] : stuck.getStackTrace();
            if (frames.length > 0 && isWaitingForIo(frames[0])) {
                // Idle in epoll/select: the heartbeat is late because the CPU is busy elsewhere, not
                // because this thread is blocked. Not a stall; keep watching.
                return;
            }
            probe.reported = true;
            blockedEvents.incrementAndGet();
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement frame : frames) {
                stack.append("\n\tat ").append(frame);
            }
            LOG.warn("I/O thread {} has been blocked for more than {} ms; a non-blocking route or middleware is "
                    + "blocking it. Stack:{}", stuck == null ? "?" : stuck.getName(), (now - posted) / 1_000_000, stack);
        }
    }

    private static boolean isWaitingForIo(StackTraceElement top) {
        String where = (top.getClassName() + "." + top.getMethodName()).toLowerCase(java.util.Locale.ROOT);
        // Netty's native epoll and io_uring waits, and NIO's selector (sun.nio.ch.EPoll.wait)
        return top.isNativeMethod() && (where.contains("epoll") || where.contains("uring"));
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
