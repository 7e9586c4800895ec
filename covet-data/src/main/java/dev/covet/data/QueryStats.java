package dev.covet.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statements one unit of work ran: a request (with {@link QueryStatsMiddleware}) or any block of
 * code ({@link #measure}). Only statements run on the thread that opened the scope are counted — a
 * request's handler runs on its own virtual thread, so requests never count each other's statements.
 *
 * <p>N+1 detection: statements are grouped by their text (parameters are always bound, so the text is
 * the statement's shape). When one shape runs more than the threshold within a scope, a warning names
 * it once and {@link #nPlusOneSuspects()} lists it.
 */
public final class QueryStats {
    private static final Logger LOG = LoggerFactory.getLogger(QueryStats.class);
    /** Default: the same statement more than this many times in one scope is reported. */
    public static final int DEFAULT_N_PLUS_ONE_THRESHOLD = 10;
    static final ScopedValue<QueryStats> CURRENT = ScopedValue.newInstance();

    private final int nPlusOneThreshold;
    private final String scopeName;
    private final Map<String, Integer> countsByShape = new LinkedHashMap<>();
    private final List<String> suspects = new ArrayList<>();
    private int statements;
    private long nanos;

    QueryStats(int nPlusOneThreshold, String scopeName) {
        this.nPlusOneThreshold = nPlusOneThreshold;
        this.scopeName = scopeName;
    }

    /** Work measured by {@link #measure}. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /**
     * Runs {@code work} in a new scope and returns what it ran, with the default N+1 threshold.
     *
     * @throws RuntimeException whatever {@code work} threw (checked exceptions wrapped)
     */
    public static QueryStats measure(Work work) {
        return measure(DEFAULT_N_PLUS_ONE_THRESHOLD, "measure", work);
    }

    /** {@link #measure(Work)} with an N+1 threshold and a name for the warnings. */
    public static QueryStats measure(int nPlusOneThreshold, String scopeName, Work work) {
        QueryStats stats = new QueryStats(nPlusOneThreshold, scopeName);
        try {
            ScopedValue.where(CURRENT, stats).call(() -> {
                work.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return stats;
    }

    /** Called by {@link Database} after every statement on this thread. */
    static void record(String sql, long elapsedNanos) {
        if (CURRENT.isBound()) {
            CURRENT.get().add(sql, elapsedNanos);
        }
    }

    private void add(String sql, long elapsedNanos) {
        statements++;
        nanos += elapsedNanos;
        int n = countsByShape.merge(sql, 1, Integer::sum);
        if (n == nPlusOneThreshold + 1) {
            suspects.add(sql);
            LOG.warn("Possible N+1 in {}: the same statement ran more than {} times: {} "
                    + "(prefetch the relation or load the rows in one query)", scopeName, nPlusOneThreshold, sql);
        }
    }

    /** Statements run in this scope. */
    public int statementCount() {
        return statements;
    }

    /** Time spent executing them (including reading their results). */
    public Duration statementTime() {
        return Duration.ofNanos(nanos);
    }

    /** How often each statement text ran, in first-run order. */
    public Map<String, Integer> countsByStatement() {
        return Map.copyOf(countsByShape);
    }

    /** Statements that ran more often than the N+1 threshold. */
    public List<String> nPlusOneSuspects() {
        return List.copyOf(suspects);
    }

    @Override
    public String toString() {
        return statements + " statements in " + statementTime().toMillis() + " ms";
    }
}
