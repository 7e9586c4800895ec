package dev.covet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What the watchdog counts as a blocked I/O thread. A thread preempted by the JIT, the GC or another
 * process cannot be made to happen on cue, so its signature, a thread runnable in Java code whose CPU
 * clock does not move, is given to the watchdog by a clock that stands still.
 */
class LoopWatchdogTest {
    private static final Duration THRESHOLD = Duration.ofMillis(50);

    @Test
    void aThreadThatSpinsOnTheCpuIsReported() throws Exception {
        assertThat(blockedEventsWhile(LoopWatchdogTest::spinFor300Ms, LoopWatchdog.CpuClock.jvm())).isEqualTo(1);
    }

    @Test
    void aThreadThatSleepsIsReportedWhateverItsCpuClockSays() throws Exception {
        assertThat(blockedEventsWhile(() -> sleep(300), thread -> 0L)).isEqualTo(1);
    }

    @Test
    void aRunnableThreadThatGotNoCpuTimeIsNotReported() throws Exception {
        // runnable in Java code for 300 ms, but by its clock it never ran: it was waiting for a core
        assertThat(blockedEventsWhile(LoopWatchdogTest::spinFor300Ms, thread -> 0L)).isZero();
    }

    @Test
    void withoutACpuClockEveryLateHeartbeatIsReported() throws Exception {
        assertThat(blockedEventsWhile(LoopWatchdogTest::spinFor300Ms, thread -> -1L)).isEqualTo(1);
    }

    /** Runs {@code task} on a watched loop and returns how many stalls the watchdog counted. */
    private static long blockedEventsWhile(Runnable task, LoopWatchdog.CpuClock clock) throws Exception {
        EventLoopGroup group = new DefaultEventLoopGroup(1);
        LoopWatchdog watchdog = new LoopWatchdog(group, THRESHOLD, clock);
        try {
            group.submit(() -> { }).get(5, TimeUnit.SECONDS); // the watchdog has seen the loop's thread
            watchdog.start();
            Thread.sleep(THRESHOLD.toMillis()); // a few heartbeats that run at once
            group.submit(task).get(5, TimeUnit.SECONDS);
            return watchdog.blockedEvents();
        } finally {
            watchdog.stop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Pure Java work for 300 ms, timed by another thread: no native frame (System.nanoTime is one until
     * it is compiled) may be on top of the stack when the watchdog looks.
     */
    private static void spinFor300Ms() {
        AtomicBoolean done = new AtomicBoolean();
        Thread.ofPlatform().daemon().start(() -> {
            sleep(300);
            done.set(true);
        });
        long x = 0;
        while (!done.get()) {
            x += Long.numberOfTrailingZeros(x + 1); // work the JIT cannot drop
        }
        assertThat(x).isNotEqualTo(-1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
