package dev.covet.data;

import dev.covet.Context;
import dev.covet.Middleware;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Counts and times the statements of each request, warns about N+1 patterns, and reports the figures in
 * a {@code Server-Timing: db;dur=…;desc="N statements"} response header (visible in browser dev tools).
 * Meant for dev and test mode:
 *
 * <pre>{@code
 * if (devMode) app.use(QueryStatsMiddleware.create());
 * }</pre>
 *
 * <p>The scope is the request's virtual thread: statements run on other threads are not counted.
 */
public final class QueryStatsMiddleware implements Middleware {
    private final int nPlusOneThreshold;
    private final BiConsumer<Context, QueryStats> listener;

    private QueryStatsMiddleware(int nPlusOneThreshold, BiConsumer<Context, QueryStats> listener) {
        this.nPlusOneThreshold = nPlusOneThreshold;
        this.listener = listener;
    }

    /** With the default N+1 threshold ({@value QueryStats#DEFAULT_N_PLUS_ONE_THRESHOLD}). */
    public static QueryStatsMiddleware create() {
        return create(QueryStats.DEFAULT_N_PLUS_ONE_THRESHOLD, (ctx, stats) -> { });
    }

    /**
     * With an N+1 threshold and a listener called after each request (e.g. to collect figures in tests).
     *
     * @throws IllegalArgumentException if the threshold is below 1
     */
    public static QueryStatsMiddleware create(int nPlusOneThreshold, BiConsumer<Context, QueryStats> listener) {
        if (nPlusOneThreshold < 1) {
            throw new IllegalArgumentException("nPlusOneThreshold must be >= 1, was " + nPlusOneThreshold);
        }
        return new QueryStatsMiddleware(nPlusOneThreshold, listener);
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        QueryStats stats = new QueryStats(nPlusOneThreshold, ctx.method() + " " + ctx.path());
        try {
            ScopedValue.where(QueryStats.CURRENT, stats).call(() -> {
                next.proceed();
                return null;
            });
        } finally {
            if (stats.statementCount() > 0) {
                try {
                    // The response is sent after the chain returns, so the header still gets out
                    // (except for streamed responses, whose headers are already gone).
                    ctx.header("Server-Timing", String.format(Locale.ROOT, "db;dur=%.1f;desc=\"%d statements\"",
                            stats.statementTime().toNanos() / 1e6, stats.statementCount()));
                } catch (RuntimeException alreadySent) {
                    // nothing to do: the figures still reach the listener
                }
            }
            listener.accept(ctx, stats);
        }
    }
}
