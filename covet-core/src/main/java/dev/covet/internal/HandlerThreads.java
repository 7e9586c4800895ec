package dev.covet.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual threads that run handlers (ADR 0001).
 *
 * <p>By default each handler gets a fresh virtual thread on the JDK's scheduler: the I/O thread hands
 * it off and carries on. The experiment {@code -Dcovet.experimental.eager-handlers=true} instead runs a
 * virtual thread on the I/O thread that starts or wakes it, until it blocks; only then does it move to
 * the JDK's carriers. That saves the hand-off for handlers that do not block, but a handler that burns
 * CPU or blocks while pinned (native code, some file I/O) before its first park stalls every
 * connection of that I/O thread, which is why it is not the default. It needs a JDK-internal
 * constructor ({@code --add-opens java.base/java.lang=ALL-UNNAMED}); without it the server says so at
 * start-up and uses the default.
 */
final class HandlerThreads {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerThreads.class);
    static final String EAGER_PROPERTY = "covet.experimental.eager-handlers";

    private HandlerThreads() { }

    /** The executor for handler threads, and a word on which kind it is for the start-up line. */
    record Choice(ExecutorService executor, String description) { }

    static Choice create() {
        if (!Boolean.getBoolean(EAGER_PROPERTY)) {
            return new Choice(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()), "virtual-threads");
        }
        try {
            return new Choice(Executors.newThreadPerTaskExecutor(eagerFactory()), "virtual-threads (eager, experimental)");
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("-D{}=true asked for handlers that start on the I/O thread, but that needs "
                    + "--add-opens java.base/java.lang=ALL-UNNAMED ({}); handlers use the default hand-off instead",
                    EAGER_PROPERTY, e.toString());
            return new Choice(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()), "virtual-threads");
        }
    }

    private static ThreadFactory eagerFactory() throws ReflectiveOperationException {
        Field defaultScheduler = Class.forName("java.lang.VirtualThread").getDeclaredField("DEFAULT_SCHEDULER");
        defaultScheduler.setAccessible(true);
        Executor carriers = (Executor) defaultScheduler.get(null);
        Constructor<?> builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                .getDeclaredConstructor(Executor.class);
        builder.setAccessible(true);
        return ((Thread.Builder.OfVirtual) builder.newInstance(new IoThreadFirst(carriers))).factory();
    }

    /**
     * A virtual-thread scheduler: a continuation scheduled from an I/O thread runs right there, unless
     * one already runs there (a virtual thread on the I/O thread waking another); anything else goes
     * to the JDK's carrier pool.
     */
    private static final class IoThreadFirst implements Executor {
        private static final ThreadLocal<boolean[]> RUNNING = ThreadLocal.withInitial(() -> new boolean[1]);
        private final Executor carriers;

        IoThreadFirst(Executor carriers) {
            this.carriers = carriers;
        }

        @Override
        public void execute(Runnable continuation) {
            Thread thread = Thread.currentThread();
            if (thread instanceof FastThreadLocalThread && !thread.isVirtual()) {
                boolean[] running = RUNNING.get();
                if (!running[0]) {
                    running[0] = true;
                    try {
                        continuation.run();
                    } finally {
                        running[0] = false;
                    }
                    return;
                }
            }
            carriers.execute(continuation);
        }
    }
}
