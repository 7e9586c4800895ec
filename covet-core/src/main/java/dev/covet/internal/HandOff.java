package dev.covet.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Hands requests from one I/O thread to handler virtual threads, and their responses back, a group at
 * a time (ADR 0001).
 *
 * <p>Why. Every hand-off that finds the other side asleep costs an OS wake-up, and on a busy core a
 * context switch each way. Started one by one, the requests an I/O thread read in one pass wake a
 * carrier, which can run the first handler before the I/O thread has even started the second, and
 * each response wakes the I/O thread in turn. So the handlers of one pass over the ready connections
 * start together, from one task on the carrier pool, and their responses are queued to the I/O thread
 * without waking it; a last task in the same first-in-first-out queue, which runs once every handler
 * of the group has finished or blocked, wakes it once. A handler that blocks finishes later and wakes
 * the I/O thread itself, so no response ever waits for another request's handler.
 *
 * <p>{@code -Dcovet.handoff=direct} starts every handler on its own, as before this class, for
 * comparison in the benchmark harness.
 */
final class HandOff {
    private static final boolean GROUPED = !"direct".equals(System.getProperty("covet.handoff"));
    private static final FastThreadLocal<HandOff> PER_IO_THREAD = new FastThreadLocal<>();
    private static final Runnable WAKE_UP = () -> { };

    private final EventLoop loop;
    private final ExecutorService handlers;
    private List<Consumer<Group>> pending = new ArrayList<>();
    private final Runnable startPending = this::startPending;

    private HandOff(EventLoop loop, ExecutorService handlers) {
        this.loop = loop;
        this.handlers = handlers;
    }

    /** The hand-off of the calling I/O thread, which must be {@code loop}'s. */
    static HandOff of(EventLoop loop, ExecutorService handlers) {
        HandOff handOff = PER_IO_THREAD.get();
        if (handOff == null || handOff.handlers != handlers) {
            handOff = new HandOff(loop, handlers);
            PER_IO_THREAD.set(handOff);
        }
        return handOff;
    }

    /**
     * On the I/O thread: runs {@code handler} on a virtual thread once this pass over the ready
     * connections is done. The handler gives its response back through the {@link Group} it gets.
     */
    void start(Consumer<Group> handler) {
        if (!GROUPED) {
            Group alone = new Group(loop, true);
            handlers.execute(() -> handler.accept(alone));
            return;
        }
        pending.add(handler);
        if (pending.size() == 1) {
            loop.execute(startPending); // on the I/O thread: runs after the I/O of this pass, no wake-up
        }
    }

    private void startPending() {
        List<Consumer<Group>> group = pending;
        pending = new ArrayList<>();
        if (group.size() == 1) {
            Group alone = new Group(loop, true);
            handlers.execute(() -> group.getFirst().accept(alone));
            return;
        }
        Group together = new Group(loop, false);
        handlers.execute(() -> { // one carrier wake-up for the group; the starts below queue behind it
            for (Consumer<Group> handler : group) {
                try {
                    handlers.execute(() -> handler.accept(together));
                } catch (RejectedExecutionException stopping) {
                    handler.accept(together); // the server stopped in between: run it here, it cleans up
                }
            }
            try {
                handlers.execute(together::release); // queued behind the handlers: runs after they ran
            } catch (RejectedExecutionException stopping) {
                together.release();
            }
        });
    }

    /** The handlers started together, and how each hands its response back to the I/O thread. */
    static final class Group {
        private final EventLoop loop;
        private volatile boolean released;

        Group(EventLoop loop, boolean released) {
            this.loop = loop;
            this.released = released;
        }

        /**
         * On a handler thread: runs {@code task} on the I/O thread, or {@code ifGone} here if that
         * thread has stopped. Before the group is released the task only queues; after, it wakes the
         * I/O thread. Queueing before reading the flag, against setting the flag before waking in
         * {@link #release}, means a task is never left queued with the I/O thread asleep.
         */
        void post(Runnable task, Runnable ifGone) {
            try {
                if (!released && loop instanceof SingleThreadEventExecutor executor) {
                    executor.lazyExecute(task);
                    if (released) {
                        loop.execute(WAKE_UP);
                    }
                } else {
                    loop.execute(task);
                }
            } catch (RejectedExecutionException stopped) {
                ifGone.run();
            }
        }

        /**
         * Once every handler of the group has run to its end or its first block: from here on a
         * response wakes the I/O thread itself. Queued last behind the handlers' starts, so on the
         * default scheduler's first-in-first-out queues it runs after they did.
         */
        void release() {
            released = true;
            try {
                loop.execute(WAKE_UP);
            } catch (RejectedExecutionException stopped) {
                // the I/O thread is gone, and with it anything that waited for this wake-up
            }
        }
    }
}
