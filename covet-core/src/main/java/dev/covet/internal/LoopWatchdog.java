package dev.covet.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 *
 * <p>A late heartbeat is not always a stall: on a busy machine an I/O thread can wait for a core while
 * the JIT compiler, the GC or another process runs, and whatever frame it was preempted in would be
 * blamed (seen in benchmark runs: a 53 ms "block" in Netty's write path). So a thread that is runnable
 * and in Java code is reported only once it has itself used the threshold in CPU time since the
 * heartbeat was posted; a thread waiting (sleep, lock, park) or in a native call other than the
 * event loop's own wait is blocked, and is reported when the heartbeat is the threshold late.
 */
public final class LoopWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.covet.watchdog");

    private final List<Probe> probes = new ArrayList<>();
    private final long thresholdNanos;
    private final CpuClock cpu;
    private final AtomicLong blockedEvents = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    private static final class Probe {
        final EventExecutor loop;
        volatile Thread loopThread;
        volatile long postedAt;   // when the pending heartbeat was posted; 0 when none is pending
        volatile long cpuAtPost;  // the loop thread's CPU time then, or -1 if unknown
        volatile boolean reported;

        Probe(EventExecutor loop) {
            this.loop = loop;
        }
    }

    /** A thread's CPU time in nanoseconds, or -1 if it cannot be read. */
    interface CpuClock {
        long cpuNanos(Thread thread);

        /** The JVM's per-thread CPU clock, or one that always answers -1 where the JVM has none. */
        static CpuClock jvm() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
                LOG.info("No per-thread CPU clock: the watchdog counts any late heartbeat as a blocked I/O thread");
                return thread -> -1;
            }
            return thread -> thread == null ? -1 : threads.getThreadCpuTime(thread.threadId());
        }
    }

    LoopWatchdog(EventLoopGroup group, Duration threshold) {
        this(group, threshold, CpuClock.jvm());
    }

    LoopWatchdog(EventLoopGroup group, Duration threshold, CpuClock cpu) {
        this.thresholdNanos = threshold.toNanos();
        this.cpu = cpu;
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
            probe.cpuAtPost = cpu.cpuNanos(probe.loopThread);
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
            long cpuUsed = cpuSincePost(probe, stuck);
            if (stuck != null && cpuUsed >= 0 && cpuUsed < thresholdNanos && stuck.getState() == Thread.State.RUNNABLE
                    && frames.length > 0 && !frames[0].isNativeMethod()) {
                // Runnable in Java code without having run for the threshold: it waited for a core. Keep
                // watching: if it is working, its CPU time reaches the threshold at a later tick.
                return;
            }
            probe.reported = true;
            blockedEvents.incrementAndGet();
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement frame : frames) {
                stack.append("\n\tat ").append(frame);
            }
            LOG.warn("I/O thread {} has been blocked for more than {} ms ({} ms of it on the CPU); a non-blocking "
                    + "route or middleware is blocking it. Stack:{}", stuck == null ? "?" : stuck.getName(),
                    (now - posted) / 1_000_000, cpuUsed < 0 ? "?" : Long.toString(cpuUsed / 1_000_000), stack);
        }
    }

    /** CPU time the loop thread used since the pending heartbeat was posted, or -1 if unknown. */
    private long cpuSincePost(Probe probe, Thread stuck) {
        long before = probe.cpuAtPost;
        long current = cpu.cpuNanos(stuck);
        return before < 0 || current < 0 ? -1 : current - before;
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
