package dev.covet.data;

import dev.covet.Covet;
import dev.covet.data.internal.DatabaseUrl;
import dev.covet.data.internal.RowMapper;
import dev.covet.data.internal.ValueConversion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled database: SQLite (a file, the embedded default), PostgreSQL or MariaDB/MySQL.
 *
 * <pre>{@code
 * Database db = Database.create("postgresql://app@127.0.0.1:5432/app");
 * List<World> rows = db.query("SELECT id, random_number FROM world WHERE id < ?", World.class, 10);
 * db.transaction(tx -> tx.update("UPDATE world SET random_number = ? WHERE id = ?", 5, 1));
 * }</pre>
 *
 * <p>Settings come from code (the {@link Builder}), then {@code covet.data.*} keys in {@code covet.properties},
 * then environment variables {@code COVET_DATA_*}, the later winning (docs/data.md lists the keys).
 *
 * <p>Thread safety: a database is shared by all threads. A transaction belongs to the thread that
 * opened it: data calls made by that thread inside the transaction's work use its connection.
 */
public final class Database implements Sql, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Logger SLOW = LoggerFactory.getLogger("dev.covet.data.slow");
    /** Where {@link AsyncSql} runs statements that have no non-blocking driver: a virtual thread each. */
    private static final Executor ASYNC_JDBC = task -> Thread.ofVirtual().name("covet-sql-async").start(task);

    private final Builder settings;
    private final Dialect dialect;
    private final ConnectionPools pools;
    private final PipelinedPostgres pipelined; // null unless PostgreSQL with PgClient.PIPELINED
    private final ThreadLocal<OpenTransaction> current = new ThreadLocal<>();
    private final Map<Class<?>, Repository<?, ?>> repositories = new ConcurrentHashMap<>();
    private final long slowNanos;
    private final AsyncSql async = new AsyncSql(this);

    private Database(Builder settings, DatabaseUrl url) {
        this.settings = settings;
        this.dialect = switch (url.vendor()) {
            case "sqlite" -> Dialect.SQLITE;
            case "postgresql" -> Dialect.POSTGRESQL;
            case "mysql" -> Dialect.MYSQL;
            default -> Dialect.MARIADB;
        };
        this.slowNanos = settings.slowStatementThreshold().toNanos();
        try {
            this.pools = new ConnectionPools(url, settings);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot open the database " + DatabaseUrl.redact(settings.url()) + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        String client = "";
        if (dialect == Dialect.POSTGRESQL && settings.pgClient() == PgClient.PIPELINED) {
            this.pipelined = openPipelined(url, settings);
            client = ", PostgreSQL client " + pipelined.describe()
                    + " for query/queryOne/queryOneEach/update/batch outside transactions; JDBC for transactions, repositories and migrations";
        } else {
            this.pipelined = null;
            if (dialect == Dialect.POSTGRESQL) {
                client = ", PostgreSQL client jdbc";
            }
        }
        LOG.info("Database {} ({}, pool size {}{})", DatabaseUrl.redact(settings.url()), dialect, settings.poolSize(),
                client);
    }

    /** The pipelined client, or null unless PostgreSQL with PgClient.PIPELINED; for tests. */
    PipelinedPostgres pipelined() {
        return pipelined;
    }

    private PipelinedPostgres openPipelined(DatabaseUrl url, Builder settings) {
        PipelinedPostgres opened = null;
        try {
            opened = new PipelinedPostgres(url, settings, pools);
            opened.check();
            return opened;
        } catch (SQLException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            pools.close();
            if (e instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IllegalStateException("Cannot open the pipelined PostgreSQL client for "
                    + DatabaseUrl.redact(settings.url()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A database with default settings for {@code url} (e.g. {@code sqlite:data/app.db},
     * {@code postgresql://user@host:5432/db}, {@code mariadb://root@127.0.0.1:3306/app}).
     *
     * @throws IllegalArgumentException if the URL or a {@code COVET_DATA_*} setting is invalid
     * @throws IllegalStateException if the database cannot be reached at start
     */
    public static Database create(String url) {
        return builder().url(url).build();
    }

    /** Settings for a database; {@link Builder#build()} opens it. */
    public static Builder builder() {
        return new Builder();
    }

    /** The dialect the URL selected. */
    public Dialect dialect() {
        return dialect;
    }

    /** The pool's figures right now. */
    public PoolStats poolStats() {
        return pools.stats();
    }

    /** The settings in effect (after system properties and environment). */
    public Builder settings() {
        return settings;
    }

    /** The pool Flyway and other JDBC tools should use (on SQLite, the single writer connection). */
    public DataSource dataSource() {
        return pools.writerDataSource();
    }

    /**
     * The same plain SQL, without waiting: each method returns a stage of its result. Non-blocking on
     * PostgreSQL's pipelined client; elsewhere each statement runs on a virtual thread of its own (see
     * {@link AsyncSql}).
     */
    public AsyncSql async() {
        return async;
    }

    // ---- plain SQL -------------------------------------------------------------------------------

    @Override
    public <T> List<T> query(String sql, Class<T> rowType, Object... params) {
        if (pipelinedFor(sql)) {
            return timed(sql, () -> pipelined.query(sql, rowType, params));
        }
        return run(false, sql, c -> {
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                return RowMapper.forResult(rowType, rs).mapAll(rs);
            }
        });
    }

    @Override
    public <T> Optional<T> queryOne(String sql, Class<T> rowType, Object... params) {
        if (pipelinedFor(sql)) {
            return onlyRow(sql, timed(sql, () -> pipelined.query(sql, rowType, params)));
        }
        return run(false, sql, c -> {
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                T row = RowMapper.forResult(rowType, rs).map(rs);
                if (rs.next()) {
                    throw tooManyRows(sql);
                }
                return Optional.ofNullable(row);
            }
        });
    }

    @Override
    public <T> List<Optional<T>> queryOneEach(String sql, Class<T> rowType, List<? extends List<?>> paramRows) {
        List<Optional<T>> out = new ArrayList<>(paramRows.size());
        if (paramRows.isEmpty()) {
            return out;
        }
        if (!pipelinedFor(sql)) {
            for (List<?> params : paramRows) {
                out.add(queryOne(sql, rowType, params.toArray()));
            }
            return out;
        }
        for (List<T> rows : timed(sql, paramRows.size(), () -> pipelined.queryEach(sql, rowType, paramRows))) {
            out.add(onlyRow(sql, rows));
        }
        return out;
    }

    @Override
    public int update(String sql, Object... params) {
        if (pipelinedFor(sql)) {
            return timed(sql, () -> pipelined.update(sql, params));
        }
        return run(true, sql, c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int[] batch(String sql, List<? extends List<?>> paramRows) {
        // Outside a transaction the pipelined client sends the rows in one round trip, which PostgreSQL runs
        // as one implicit transaction (all or nothing, as below); measured 1.45x the JDBC batch on /updates
        // on a quiet machine (ADR 0007).
        if (pipelinedFor(sql)) {
            return timed(sql, () -> pipelined.batch(sql, paramRows));
        }
        if (current.get() == null) {
            return transaction(tx -> batch(sql, paramRows));
        }
        return run(true, sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (List<?> row : paramRows) {
                    bind(ps, row.toArray());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T, ID> Repository<T, ID> repository(Class<T> type) {
        return (Repository<T, ID>) repositories.computeIfAbsent(type, t -> new Repository<>(this, EntityModel.of(t)));
    }

    // ---- transactions ----------------------------------------------------------------------------

    @Override
    public <R> R transaction(TransactionWork<R> work) {
        return transaction(Isolation.DEFAULT, work);
    }

    @Override
    public void inTransaction(TransactionAction action) {
        transaction(Isolation.DEFAULT, tx -> {
            action.run(tx);
            return Boolean.TRUE;
        });
    }

    @Override
    public <R> R transaction(Isolation isolation, TransactionWork<R> work) {
        OpenTransaction outer = current.get();
        if (outer != null) {
            if (isolation != Isolation.DEFAULT) {
                throw new IllegalStateException("A nested transaction (savepoint) cannot change the isolation level");
            }
            return inSavepoint(outer, work);
        }
        Connection c = pools.acquire(true);
        OpenTransaction tx = new OpenTransaction(this, c);
        try {
            if (isolation != Isolation.DEFAULT && dialect != Dialect.SQLITE) {
                c.setTransactionIsolation(isolation.jdbcLevel);
            }
            c.setAutoCommit(false);
            current.set(tx);
            R result = work.run(tx);
            c.commit();
            return result;
        } catch (Throwable e) {
            rollbackQuietly(c, null, e);
            throw translate(e, "transaction");
        } finally {
            current.remove();
            closeQuietly(c);
        }
    }

    private <R> R inSavepoint(OpenTransaction tx, TransactionWork<R> work) {
        Savepoint savepoint;
        try {
            savepoint = tx.connection.setSavepoint();
        } catch (SQLException e) {
            throw translate(e, "SAVEPOINT");
        }
        try {
            R result = work.run(tx);
            tx.connection.releaseSavepoint(savepoint);
            return result;
        } catch (Throwable e) {
            rollbackQuietly(tx.connection, savepoint, e);
            throw translate(e, "savepoint");
        }
    }

    /**
     * {@link #transaction(TransactionWork)} that runs {@code work} again (up to {@code maxAttempts} times
     * in all, with a short random back-off) when the database aborts it for a serialization failure or a
     * deadlock: SQLSTATE 40001 or 40P01, MariaDB error 1213. Other failures are not retried. The work must
     * be safe to repeat: it should only act on the database.
     *
     * @throws IllegalStateException if called inside a transaction (a retry cannot be partial)
     * @throws DataAccessException the last failure once the attempts are used up
     */
    public <R> R transactionWithRetry(Isolation isolation, int maxAttempts, TransactionWork<R> work) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (current.get() != null) {
            throw new IllegalStateException("transactionWithRetry cannot run inside another transaction");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction(isolation, work);
            } catch (RuntimeException e) {
                if (attempt >= maxAttempts || !isRetryable(e)) {
                    throw e;
                }
                LOG.debug("Transaction attempt {} of {} failed with a retryable error: {}", attempt, maxAttempts,
                        e.getMessage());
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 6)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** {@link #transactionWithRetry(Isolation, int, TransactionWork)} with the default isolation and 3 attempts. */
    public <R> R transactionWithRetry(TransactionWork<R> work) {
        return transactionWithRetry(Isolation.DEFAULT, 3, work);
    }

    static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state) || sql.getErrorCode() == 1213) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- execution -------------------------------------------------------------------------------

    @FunctionalInterface
    interface ConnectionWork<R> {
        R run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Statement<R> {
        R run() throws SQLException;
    }

    /** Whether {@code sql} goes to the pipelined client: configured, no transaction open, a statement it takes. */
    private boolean pipelinedFor(String sql) {
        return pipelined != null && current.get() == null && pipelined.accepts(sql);
    }

    private static DataAccessException tooManyRows(String sql) {
        return new DataAccessException("queryOne expected at most one row: " + sql, null);
    }

    /** The only row of {@code rows}, or empty; more than one is a {@link DataAccessException}. */
    static <T> Optional<T> onlyRow(String sql, List<T> rows) {
        if (rows.size() > 1) {
            throw tooManyRows(sql);
        }
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.getFirst());
    }

    /**
     * {@link AsyncSql}'s statements: {@code statements} executions of {@code sql}, counted now in the caller's
     * {@link QueryStats} scope; sent to the pipelined client by {@code pipelinedWork}, or else run by
     * {@code blockingWork} on a virtual thread of their own.
     */
    <R> CompletionStage<R> sendAsync(String sql, int statements, Function<PipelinedPostgres, CompletableFuture<R>> pipelinedWork,
                                     Supplier<R> blockingWork) {
        if (current.get() != null) {
            throw new IllegalStateException("db.async() runs outside transactions; inside db.transaction(...) use the "
                    + "blocking methods, which join it");
        }
        for (int i = 0; i < statements; i++) {
            QueryStats.record(sql, 0);
        }
        if (!pipelinedFor(sql)) {
            return CompletableFuture.supplyAsync(blockingWork, ASYNC_JDBC);
        }
        long start = System.nanoTime();
        return pipelinedWork.apply(pipelined).handle((result, failure) -> {
            logIfSlow(sql, System.nanoTime() - start);
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
                throw new CompletionException(translate(cause, sql));
            }
            return result;
        });
    }

    private void logIfSlow(String sql, long took) {
        if (took > slowNanos) {
            SLOW.warn("Slow statement ({} ms): {}", took / 1_000_000, sql);
        }
    }

    /** Runs one statement on the current transaction's connection, or on a pooled one; counts and times it. */
    <R> R run(boolean write, String sql, ConnectionWork<R> work) {
        OpenTransaction tx = current.get();
        if (tx != null) {
            return timed(sql, () -> work.run(tx.connection));
        }
        Connection c = pools.acquire(write);
        try {
            return timed(sql, () -> work.run(c));
        } finally {
            closeQuietly(c);
        }
    }

    private <R> R timed(String sql, Statement<R> statement) {
        return timed(sql, 1, statement);
    }

    /**
     * Runs {@code statements} executions of {@code sql} sent together: each counts as a statement, and
     * their time (they overlap) is the wall time of the lot.
     */
    private <R> R timed(String sql, int statements, Statement<R> statement) {
        long start = System.nanoTime();
        try {
            return statement.run();
        } catch (SQLException | RuntimeException e) {
            throw translate(e, sql);
        } finally {
            long took = System.nanoTime() - start;
            QueryStats.record(sql, took);
            for (int i = 1; i < statements; i++) {
                QueryStats.record(sql, 0);
            }
            logIfSlow(sql, took);
        }
    }

    PreparedStatement prepare(Connection c, String sql, Object[] params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            bind(ps, params);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    void bind(PreparedStatement ps, Object[] params) throws SQLException {
        boolean pg = dialect == Dialect.POSTGRESQL;
        boolean sqlite = dialect == Dialect.SQLITE;
        for (int i = 0; i < params.length; i++) {
            Object v = params[i];
            if (v instanceof Optional<?> o) {
                v = o.orElse(null);
            }
            ps.setObject(i + 1, ValueConversion.toJdbc(v, pg, sqlite));
        }
    }

    RuntimeException translate(Throwable e, String what) {
        if (e instanceof DatabaseBusyException || e instanceof DatabaseUnavailableException
                || e instanceof DataAccessException) {
            return (RuntimeException) e;
        }
        if (e instanceof SQLException sql) {
            if (ConnectionPools.isConnectionFailure(sql)) {
                pools.markDown();
                return new DatabaseUnavailableException("The connection to the database broke: " + sql.getMessage(), sql);
            }
            if (dialect == Dialect.SQLITE && (sql.getErrorCode() == 5 || sql.getErrorCode() == 6)) {
                return new DatabaseBusyException("SQLite stayed locked past the busy timeout: " + sql.getMessage(), sql);
            }
            return new DataAccessException(sql.getMessage() + " [" + what + "]", sql);
        }
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new DataAccessException("Transaction work failed: " + e, e);
    }

    private static void rollbackQuietly(Connection c, Savepoint savepoint, Throwable cause) {
        try {
            if (savepoint == null) {
                c.rollback();
            } else {
                c.rollback(savepoint);
            }
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    static void closeFailed(String what, Exception e) {
        LOG.warn("Closing {} failed", what, e);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("Closing a pooled connection failed", e);
        }
    }

    boolean inTransactionNow() {
        return current.get() != null;
    }

    /** Closes the pool (and the pipelined client's connections and threads); in-flight statements finish, later calls fail. */
    @Override
    public void close() {
        try {
            if (pipelined != null) {
                pipelined.close();
            }
        } finally {
            pools.close();
        }
    }

    /** A transaction's view: every call goes through the database, which finds the transaction's connection. */
    private record OpenTransaction(Database db, Connection connection) implements Transaction {
        @Override public <T> List<T> query(String sql, Class<T> rowType, Object... params) { return db.query(sql, rowType, params); }
        @Override public <T> Optional<T> queryOne(String sql, Class<T> rowType, Object... params) { return db.queryOne(sql, rowType, params); }
        @Override public <T> List<Optional<T>> queryOneEach(String sql, Class<T> rowType, List<? extends List<?>> rows) {
            return db.queryOneEach(sql, rowType, rows);
        }
        @Override public int update(String sql, Object... params) { return db.update(sql, params); }
        @Override public int[] batch(String sql, List<? extends List<?>> rows) { return db.batch(sql, rows); }
        @Override public <T, ID> Repository<T, ID> repository(Class<T> type) { return db.repository(type); }
        @Override public <R> R transaction(TransactionWork<R> work) { return db.transaction(work); }
        @Override public <R> R transaction(Isolation isolation, TransactionWork<R> work) { return db.transaction(isolation, work); }
        @Override public void inTransaction(TransactionAction action) { db.inTransaction(action); }
    }

    /**
     * The settings of a database, each with its default next to it. {@link #build()} applies
     * {@code covet.data.*} keys of {@code covet.properties} and {@code COVET_DATA_*} environment variables over what
     * was set in code (unless {@link #loadExternal(boolean)} is off), checks them, and opens the pool.
     */
    public static final class Builder {
        public static final int DEFAULT_POOL_SIZE = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        public static final Duration DEFAULT_ACQUISITION_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);
        public static final Duration DEFAULT_LEAK_DETECTION_THRESHOLD = Duration.ZERO;
        public static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(2);
        public static final Duration DEFAULT_SLOW_STATEMENT_THRESHOLD = Duration.ofMillis(500);
        public static final PgClient DEFAULT_PG_CLIENT = PgClient.PIPELINED;
        public static final int DEFAULT_PIPELINING_LIMIT = 256;

        private String url = "";
        private String user;
        private String password;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration acquisitionTimeout = DEFAULT_ACQUISITION_TIMEOUT;
        private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
        private Duration leakDetectionThreshold = DEFAULT_LEAK_DETECTION_THRESHOLD;
        private Duration validationTimeout = DEFAULT_VALIDATION_TIMEOUT;
        private Duration slowStatementThreshold = DEFAULT_SLOW_STATEMENT_THRESHOLD;
        private PgClient pgClient = DEFAULT_PG_CLIENT;
        private int pipeliningLimit = DEFAULT_PIPELINING_LIMIT;
        private boolean loadExternal = true;
        private Map<String, String> environment = System.getenv();
        private Covet ioThreadsOf;

        private Builder() { }

        /** The database URL (key {@code covet.data.url}); no default. */
        public Builder url(String url) { this.url = url; return this; }
        /** The user, when not in the URL (key {@code covet.data.user}). */
        public Builder user(String user) { this.user = user; return this; }
        /** The password, when not in the URL (key {@code covet.data.password}). */
        public Builder password(String password) { this.password = password; return this; }
        /** Connections in the pool (SQLite: reader connections; the writer is always one); default 2 × cores, at least 4. */
        public Builder poolSize(int n) { this.poolSize = n; return this; }
        /** How long a caller waits for a free connection before {@link DatabaseBusyException}; default 5 s, at least 250 ms. */
        public Builder acquisitionTimeout(Duration d) { this.acquisitionTimeout = d; return this; }
        /** Connections are replaced after this long; default 30 min, at least 30 s. */
        public Builder maxLifetime(Duration d) { this.maxLifetime = d; return this; }
        /** A connection held longer than this is logged with the stack that took it; default 0 = off, else at least 2 s. */
        public Builder leakDetectionThreshold(Duration d) { this.leakDetectionThreshold = d; return this; }
        /** How long checking a connection is alive may take; default 2 s, at least 250 ms. */
        public Builder validationTimeout(Duration d) { this.validationTimeout = d; return this; }
        /** Statements slower than this are logged (logger {@code dev.covet.data.slow}); default 500 ms. */
        public Builder slowStatementThreshold(Duration d) { this.slowStatementThreshold = d; return this; }
        /**
         * Which client runs PostgreSQL statements outside transactions (key {@code covet.data.pg-client},
         * {@code jdbc} or {@code pipelined}); default {@link PgClient#PIPELINED} (ADR 0007). Ignored for other
         * databases.
         */
        public Builder pgClient(PgClient client) { this.pgClient = java.util.Objects.requireNonNull(client, "client"); return this; }
        /**
         * With {@link PgClient#PIPELINED}: run the client on {@code app}'s I/O threads instead of an event loop of
         * its own. A non-blocking route that answers from {@link #async()} through {@code ctx.future} then sends
         * its statement, reads the answer and writes the response on one thread, with no hand-off between
         * threads (ADR 0010). {@code app} must be started, and its I/O threads must outlive the database: close
         * the database before stopping the app. Ignored by the other clients, which have no event loop.
         */
        public Builder ioThreadsOf(Covet app) { this.ioThreadsOf = java.util.Objects.requireNonNull(app, "app"); return this; }
        /**
         * With {@link PgClient#PIPELINED}: statements in flight on one connection before further callers wait
         * (up to the acquisition timeout); default 256 (Vert.x's), at least 1.
         */
        public Builder pipeliningLimit(int n) { this.pipeliningLimit = n; return this; }
        /** Whether {@link #build()} applies system properties and the environment; default true. */
        public Builder loadExternal(boolean on) { this.loadExternal = on; return this; }
        /** The environment to read {@code COVET_DATA_*} from; default {@link System#getenv()} (for tests). */
        public Builder environment(Map<String, String> env) { this.environment = Map.copyOf(env); return this; }

        public String url() { return url; }
        public Optional<String> user() { return Optional.ofNullable(user); }
        public Optional<String> password() { return Optional.ofNullable(password); }
        public int poolSize() { return poolSize; }
        public Duration acquisitionTimeout() { return acquisitionTimeout; }
        public Duration maxLifetime() { return maxLifetime; }
        public Duration leakDetectionThreshold() { return leakDetectionThreshold; }
        public Duration validationTimeout() { return validationTimeout; }
        public Duration slowStatementThreshold() { return slowStatementThreshold; }
        public PgClient pgClient() { return pgClient; }
        public Optional<Covet> ioThreadsOf() { return Optional.ofNullable(ioThreadsOf); }
        public int pipeliningLimit() { return pipeliningLimit; }

        /**
         * Applies external settings, checks everything and opens the pool.
         *
         * @throws IllegalArgumentException naming the setting, its source and what is wrong
         * @throws IllegalStateException if the database cannot be reached
         */
        public Database build() {
            Builder b = copy();
            if (loadExternal) {
                DataConfigKeys.apply(b, environment);
            }
            b.check();
            return new Database(b, DatabaseUrl.parse(b.url));
        }

        private void check() {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("No database URL: set it in code, with -Dcovet.data.url or "
                        + "COVET_DATA_URL (e.g. sqlite:data/app.db)");
            }
            atLeast("poolSize", poolSize, 1);
            atLeast("pipeliningLimit", pipeliningLimit, 1);
            atLeast("acquisitionTimeout", acquisitionTimeout, Duration.ofMillis(250));
            atLeast("maxLifetime", maxLifetime, Duration.ofSeconds(30));
            atLeast("validationTimeout", validationTimeout, Duration.ofMillis(250));
            if (!leakDetectionThreshold.isZero()) {
                atLeast("leakDetectionThreshold", leakDetectionThreshold, Duration.ofSeconds(2));
            }
            if (slowStatementThreshold.isNegative()) {
                throw new IllegalArgumentException("slowStatementThreshold must not be negative");
            }
        }

        private static void atLeast(String name, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException(name + " must be >= " + min + ", was " + v);
            }
        }

        private static void atLeast(String name, Duration v, Duration min) {
            if (v.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min.toMillis() + " ms, was "
                        + v.toMillis() + " ms");
            }
        }

        private Builder copy() {
            Builder b = new Builder();
            b.url = url; b.user = user; b.password = password; b.poolSize = poolSize;
            b.acquisitionTimeout = acquisitionTimeout; b.maxLifetime = maxLifetime;
            b.leakDetectionThreshold = leakDetectionThreshold; b.validationTimeout = validationTimeout;
            b.slowStatementThreshold = slowStatementThreshold; b.loadExternal = loadExternal;
            b.pgClient = pgClient; b.pipeliningLimit = pipeliningLimit;
            b.environment = environment;
            b.ioThreadsOf = ioThreadsOf;
            return b;
        }
    }
}
