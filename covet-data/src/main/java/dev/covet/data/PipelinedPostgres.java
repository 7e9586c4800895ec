package dev.covet.data;

import dev.covet.Covet;
import dev.covet.data.internal.DatabaseUrl;
import dev.covet.data.internal.RowMapper;
import dev.covet.data.internal.ValueConversion;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.SqlConnectionInternal;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL statements on the Vert.x PostgreSQL client, under {@link Database}'s blocking API (ADR 0007).
 *
 * <p>Used for {@code query}, {@code queryOne}, {@code queryOneEach}, {@code update} and {@code batch}
 * outside a transaction (ADR 0007 has the measurements).
 *
 * <p>Design: a pipelined Vert.x pool of {@code poolSize} connections; each connection carries up to
 * {@code pipeliningLimit} statements in flight, written back to back without waiting for the answers,
 * which PostgreSQL returns in order. The calling (virtual) thread sends its statement and parks on a
 * {@link java.util.concurrent.CompletableFuture} until the event loop completes it: no carrier is held,
 * no {@code synchronized} wait. So 20 requests doing 20 queries each share a handful of connections
 * instead of each holding one for its whole round trip.
 *
 * <p>Everything the JDBC path promises holds here too, by going through the same code: rows are mapped
 * by {@link RowMapper} after each value is turned into what pgjdbc's {@code getObject} would have
 * returned ({@link #asJdbc}); parameters go through {@link ValueConversion#toJdbc} first and are always
 * bound; errors become {@link SQLException}s with PostgreSQL's SQLSTATE, which {@link Database}
 * translates as it does pgjdbc's; the outage gate is the one in {@link ConnectionPools}.
 *
 * <p>Caveat: only single statements that PostgreSQL answers with rows or a row count ({@code SELECT},
 * {@code WITH}, {@code VALUES}, {@code TABLE}, {@code INSERT}, {@code UPDATE}, {@code DELETE},
 * {@code MERGE}) come here; {@link Database} leaves the rest to JDBC (see {@link #accepts}): text with
 * several statements, which pgjdbc splits, and DDL and other commands, whose completion tag carries no
 * count (Vert.x 5.0.7 reads a number out of "CREATE TABLE" anyway; pgjdbc says 0).
 */
final class PipelinedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelinedPostgres.class);
    /** Vert.x's own message for a pool wait that outlived {@link PoolOptions#setConnectionTimeout}. */
    static final String POOL_TIMEOUT_MESSAGE = "Timeout waiting for connection";
    private static final int MAX_CACHED_TEXTS = 10_000;

    private final Vertx vertx;
    /** The event-loop context every statement is sent from ({@link #send}). */
    private final Context context;
    private final SqlClient client;
    private final ConnectionPools gate;
    private final Database.Builder settings;
    private final Map<String, Text> texts = new ConcurrentHashMap<>();
    private final AtomicInteger coalescing = new AtomicInteger();
    /** Why flushes could not be coalesced ({@link #coalesceFlushes}), or null. */
    private final AtomicReference<String> notCoalescing = new AtomicReference<>();
    /** Covet's I/O threads when the client runs on them ({@link Database.Builder#ioThreadsOf}), else null. */
    private final EventLoopGroup borrowedLoops;

    /** A statement's text with {@code $n} placeholders, and whether it may run here ({@link #accepts}). */
    record Text(String numbered, boolean accepted) { }

    private static final java.util.Set<String> COUNTED = java.util.Set.of("SELECT", "WITH", "VALUES", "TABLE", "INSERT",
            "UPDATE", "DELETE", "MERGE");

    PipelinedPostgres(DatabaseUrl url, Database.Builder settings, ConnectionPools gate) {
        this.settings = settings;
        this.gate = gate;
        URI uri = URI.create(url.jdbcUrl().substring("jdbc:".length()));
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("The pipelined PostgreSQL client does not take JDBC URL parameters ('"
                    + uri.getRawQuery() + "'); remove them or set covet.data.pg-client=jdbc");
        }
        // Vert.x's defaults (user "user", password "pass", database "db") are not pgjdbc's and PostgreSQL's:
        // the OS user, no password, and a database named like the user.
        String user = settings.user().or(url::user).orElse(System.getProperty("user.name"));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        PgConnectOptions connect = new PgConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort())
                .setUser(user)
                .setPassword(settings.password().or(url::password).orElse(""))
                .setDatabase(path.isEmpty() ? user : path)
                .setPipeliningLimit(settings.pipeliningLimit())
                .setCachePreparedStatements(true);
        Covet app = settings.ioThreadsOf().orElse(null);
        this.borrowedLoops = app == null ? null : app.ioEventLoops();
        BorrowedEventLoops borrowed = app == null ? null : new BorrowedEventLoops(borrowedLoops, app.transport());
        int eventLoops = borrowed != null ? borrowed.size()
                : Math.max(1, Math.min(settings.poolSize(), Runtime.getRuntime().availableProcessors()));
        PoolOptions pool = new PoolOptions()
                .setName("covet-postgresql-pipelined")
                .setMaxSize(settings.poolSize())
                .setMaxWaitQueueSize(-1) // waiters are bounded by the connection timeout, as in HikariCP
                .setConnectionTimeout((int) settings.acquisitionTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxLifetime((int) settings.maxLifetime().toMillis())
                .setMaxLifetimeUnit(TimeUnit.MILLISECONDS)
                .setEventLoopSize(eventLoops);
        NetClientOptions net = new NetClientOptions()
                .setConnectTimeout((int) settings.acquisitionTimeout().toMillis())
                .setTcpKeepAlive(true)
                .setTcpNoDelay(true);
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setPreferNativeTransport(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false));
        this.vertx = borrowed == null ? Vertx.vertx(options) : Vertx.builder().with(options).withTransport(borrowed).build();
        // PgBuilder.client() (not pool()) is the pipelined pool: a connection is leased to up to
        // pipeliningLimit statements at once.
        this.client = PgBuilder.client().with(pool).with(net).connectingTo(connect)
                .withConnectHandler(this::coalesceFlushes).using(vertx).build();
        this.context = vertx.getOrCreateContext(); // one event-loop context, created here once
    }

    /**
     * The pool's connect handler: makes the new connection flush its socket once per event-loop pass rather than once
     * per statement, then hands it to the pool.
     *
     * <p>Why: the client flushes after every statement it schedules, so statements sent in one pass (the requests one
     * read of Covet's I/O thread brought in, each queued to this loop by {@link #send}) cost one {@code sendmsg} each;
     * that was about a quarter of the server's CPU on {@code /db}, in Vert.x's peer as in Covet. Netty's
     * {@link FlushConsolidationHandler}, placed between the client's handler and its codec, defers those flushes to
     * the end of the pass (or of the read in progress), so the codec encodes the pass's statements into one buffer
     * and one write. No statement waits for a later one: the deferred flush runs before the loop next waits for I/O.
     *
     * <p>The handler is reached through Vert.x's internal API (there is no public hook into a pooled connection's
     * pipeline), so a Vert.x upgrade may break it; then the connection works as before, unflushed statements cannot
     * be left behind, and the start-up line and a warning say that flushes are not coalesced.
     */
    private void coalesceFlushes(SqlConnection connection) {
        try {
            var socket = ((SocketConnectionBase) ((SqlConnectionInternal) connection).unwrap().unwrap()).socket();
            socket.channelHandlerContext().pipeline().addAfter("codec", "covet-flush-consolidation",
                    new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
            coalescing.incrementAndGet();
        } catch (RuntimeException | LinkageError e) { // Vert.x's internals are not what this version expects
            if (notCoalescing.compareAndSet(null, e.toString())) {
                LOG.warn("The pipelined PostgreSQL client cannot coalesce its flushes ({}): every statement costs its own"
                        + " socket write. Statements are unaffected.", e.toString());
            }
        } finally {
            connection.close(); // a connect handler's way to hand the connection to the pool
        }
    }

    /** How many of the pool's connections have flushes coalesced ({@link #coalesceFlushes}), for tests. */
    int coalescingConnections() {
        return coalescing.get();
    }

    /** Connections, pipelining, flush coalescing and whose event loop, for the start-up line. */
    String describe() {
        String failure = notCoalescing.get();
        return "pipelined (Vert.x PostgreSQL client, " + settings.poolSize() + " connections, up to "
                + settings.pipeliningLimit() + " statements in flight on each, "
                + (failure == null ? "flushes coalesced per event-loop pass" : "flushes NOT coalesced: " + failure) + ", "
                + (borrowedLoops != null ? "on Covet's I/O threads)" : "on its own event loop)");
    }

    // ---- statements ------------------------------------------------------------------------------

    /**
     * Whether {@link Database} may send {@code sql} here: one statement (several are pgjdbc's to split) that
     * starts with a keyword whose answer is rows or a row count (others, mostly DDL, stay on JDBC).
     */
    boolean accepts(String sql) {
        return text(sql).accepted();
    }

    // Each statement comes in two forms: a blocking one for Database, which maps the rows on the calling
    // (virtual) thread, and an async one for AsyncSql, whose future completes, rows mapped, on the client's
    // event loop. Mapping on the caller keeps that work off the one event loop that sends every statement.

    <T> List<T> query(String sql, Class<T> rowType, Object[] params) throws SQLException {
        return mapped(await(() -> execute(sql, params)), rowType);
    }

    <T> CompletableFuture<List<T>> queryAsync(String sql, Class<T> rowType, Object[] params) {
        return execute(sql, params).thenApply(unchecked(rows -> mapped(rows, rowType)));
    }

    /**
     * {@code sql} once per parameter row, as one batch: every Bind/Execute written and flushed once, closed by a
     * single Sync (so one failure fails them all, in one implicit transaction). Sent one by one, before flushes were
     * coalesced ({@link #coalesceFlushes}), each statement cost its own flush, a system call: about a quarter of
     * the server's CPU on {@code /updates?queries=20}; the batch still saves a Sync and a command per row.
     * The rows of each, in order.
     */
    <T> List<List<T>> queryEach(String sql, Class<T> rowType, List<? extends List<?>> paramRows) throws SQLException {
        return mappedEach(await(() -> executeBatch(sql, paramRows)), rowType);
    }

    <T> CompletableFuture<List<List<T>>> queryEachAsync(String sql, Class<T> rowType, List<? extends List<?>> paramRows) {
        return executeBatch(sql, paramRows).thenApply(unchecked(first -> mappedEach(first, rowType)));
    }

    /**
     * One round trip for all rows. Vert.x sends them as one Parse/Bind/Execute... sequence closed by a
     * single Sync, which PostgreSQL runs as one implicit transaction: all rows or none, like the JDBC
     * path's batch in a transaction.
     */
    int[] batch(String sql, List<? extends List<?>> paramRows) throws SQLException {
        return rowCounts(await(() -> executeBatch(sql, paramRows)), paramRows.size());
    }

    CompletableFuture<int[]> batchAsync(String sql, List<? extends List<?>> paramRows) {
        return executeBatch(sql, paramRows).thenApply(first -> rowCounts(first, paramRows.size()));
    }

    int update(String sql, Object[] params) throws SQLException {
        return await(() -> execute(sql, params)).rowCount();
    }

    CompletableFuture<Integer> updateAsync(String sql, Object[] params) {
        return execute(sql, params).thenApply(RowSet::rowCount);
    }

    private CompletableFuture<RowSet<Row>> execute(String sql, Object[] params) {
        String text = text(sql).numbered();
        return send(() -> client.preparedQuery(text).execute(tuple(params)));
    }

    /** The first result of the batch, the others chained by {@link RowSet#next()}; null for no rows at all. */
    private CompletableFuture<RowSet<Row>> executeBatch(String sql, List<? extends List<?>> paramRows) {
        if (paramRows.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Tuple> tuples = tuples(paramRows);
        String text = text(sql).numbered();
        return send(() -> client.preparedQuery(text).executeBatch(tuples));
    }

    private static <T> List<T> mapped(RowSet<Row> rows, Class<T> rowType) throws SQLException {
        if (rows.size() == 0) {
            return List.of();
        }
        RowMapper<T> mapper = RowMapper.forLabels(rowType, rows.columnsNames().toArray(String[]::new));
        List<T> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(mapper.map(column -> asJdbc(row.getValue(column - 1))));
        }
        return out;
    }

    private static <T> List<List<T>> mappedEach(RowSet<Row> first, Class<T> rowType) throws SQLException {
        List<List<T>> out = new ArrayList<>();
        for (RowSet<Row> rows = first; rows != null; rows = rows.next()) {
            out.add(mapped(rows, rowType));
        }
        return out;
    }

    private static int[] rowCounts(RowSet<Row> first, int statements) {
        int[] counts = new int[statements];
        RowSet<Row> result = first;
        for (int i = 0; i < counts.length && result != null; i++, result = result.next()) {
            counts[i] = result.rowCount();
        }
        return counts;
    }

    @FunctionalInterface
    private interface Mapping<A, B> {
        B apply(A a) throws SQLException;
    }

    /** {@code mapping} for a future's {@code thenApply}: a mapping failure fails that future. */
    private static <A, B> Function<A, B> unchecked(Mapping<A, B> mapping) {
        return a -> {
            try {
                return mapping.apply(a);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        };
    }

    private Text text(String sql) {
        Text t = texts.get(sql);
        if (t == null) {
            t = numbered(sql);
            if (texts.size() < MAX_CACHED_TEXTS) {
                texts.put(sql, t);
            }
        }
        return t;
    }

    /**
     * Sends the statement (unless the database is marked down: then nothing is sent) and returns the future of its
     * answer, completed on the client's event loop; failures are already what {@link #failure} makes of them.
     *
     * <p>The statement is sent from a task on the client's event loop, not from the calling thread: called from a
     * thread that is not Vert.x's, as a handler's virtual thread or Covet's I/O thread is, the client creates a new Vert.x context for
     * every {@code getOrCreateContext} it makes (three per statement, each with its own task queue) and a Netty
     * thread-local map per thread, which was about a third of what a {@code /db} request allocated. The hop to the
     * event loop is not extra: sending from another thread queued the statement to that loop anyway.
     */
    private <R> CompletableFuture<R> send(Supplier<Future<R>> send) {
        CompletableFuture<R> answered = new CompletableFuture<>();
        try {
            gate.admit();
            context.runOnContext(ignored -> {
                try {
                    send.get().onComplete(result -> {
                        gate.markUp();
                        answered.complete(result);
                    }, failure -> answered.completeExceptionally(failure(failure)));
                } catch (RuntimeException e) { // failed before anything was sent: no statement is left behind
                    answered.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            answered.completeExceptionally(new SQLException("The pipelined PostgreSQL client is closed", "08003", e));
        } catch (RuntimeException e) { // the outage gate refused: the database is known to be down
            answered.completeExceptionally(e);
        }
        return answered;
    }

    /**
     * Whether this is a thread the client reads its answers on: one of Covet's I/O threads with
     * {@code ioThreadsOf} (a non-blocking route), or the client's own event loop (a stage of {@link AsyncSql}).
     * Waiting there for an answer would wait for ever.
     */
    private boolean onClientThread() {
        if (borrowedLoops != null) {
            for (EventExecutor loop : borrowedLoops) {
                if (loop.inEventLoop()) {
                    return true;
                }
            }
            return false;
        }
        Context current = Vertx.currentContext();
        return current != null && current.owner() == vertx && current.isEventLoopContext();
    }

    /**
     * Sends a statement ({@code send} calls {@link #send}) and waits for it: its result, or what it failed with as
     * {@link #failure} made it (an {@link SQLException}, or a {@link RuntimeException} such as
     * {@link DatabaseBusyException} that needs no translation). On a thread the client reads its answers on
     * ({@link #onClientThread}) nothing is sent and {@link IllegalStateException} is thrown.
     */
    private <R> R await(Supplier<CompletableFuture<R>> send) throws SQLException {
        if (onClientThread()) { // checked before sending, so a refused statement never runs
            throw new IllegalStateException("A blocking database call on " + Thread.currentThread().getName()
                    + " would wait for ever: the pipelined PostgreSQL client reads its answers on this thread. Use "
                    + "db.async() (on a non-blocking route, answer through ctx.future), or call it from a blocking route");
        }
        CompletableFuture<R> sent = send.get();
        try {
            return sent.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause(); // get() has already taken it out of a dependent stage's CompletionException
            switch (cause) {
                case SQLException sql -> throw sql;
                case RuntimeException r -> throw r;
                case Error error -> throw error;
                case null, default -> throw new SQLException(String.valueOf(cause), cause);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for PostgreSQL", e);
        }
    }

    /**
     * A Vert.x failure as what pgjdbc would have thrown, so {@link Database#translate} judges it the same:
     * server errors keep their SQLSTATE, connection failures get SQLSTATE 08006. A pool wait past the
     * acquisition timeout is {@link DatabaseBusyException} straight away.
     */
    private Throwable failure(Throwable t) {
        if (t instanceof PgException pg) {
            String detail = pg.getDetail() == null ? "" : "\n  Detail: " + pg.getDetail();
            return new SQLException(pg.getSeverity() + ": " + pg.getErrorMessage() + detail, pg.getSqlState(), pg);
        }
        if (POOL_TIMEOUT_MESSAGE.equals(t.getMessage())) {
            return new DatabaseBusyException("No pipelined database connection became free within "
                    + settings.acquisitionTimeout().toMillis() + " ms (" + settings.poolSize() + " connections, "
                    + settings.pipeliningLimit() + " statements in flight on each)", t);
        }
        if (isConnectionFailure(t)) {
            return new SQLException("PostgreSQL unreachable: " + t, "08006", t);
        }
        return new SQLException(String.valueOf(t.getMessage()), null, t);
    }

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedConnectionException || t instanceof IOException
                    || t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    // ---- values ----------------------------------------------------------------------------------

    private static List<Tuple> tuples(List<? extends List<?>> paramRows) {
        List<Tuple> tuples = new ArrayList<>(paramRows.size());
        for (List<?> row : paramRows) {
            tuples.add(tuple(row.toArray()));
        }
        return tuples;
    }

    private static Tuple tuple(Object[] params) {
        Object[] values = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            values[i] = toVertx(params[i]);
        }
        return Tuple.wrap(values);
    }

    /** A parameter as the JDBC path would bind it ({@link ValueConversion#toJdbc}), then in a type Vert.x encodes. */
    static Object toVertx(Object param) {
        Object v = param instanceof Optional<?> o ? o.orElse(null) : param;
        return switch (ValueConversion.toJdbc(v, true, false)) {
            case Timestamp ts -> OffsetDateTime.ofInstant(ts.toInstant(), ZoneOffset.UTC);
            case java.sql.Date d -> d.toLocalDate();
            case java.util.Date d -> OffsetDateTime.ofInstant(d.toInstant(), ZoneOffset.UTC);
            case byte[] bytes -> Buffer.buffer(bytes);
            case null -> null;
            case Object other -> other;
        };
    }

    /**
     * A value as pgjdbc's {@code getObject} returns it for the same column, so that
     * {@link ValueConversion#toJava} (and so every record) sees the same thing on both clients:
     * {@code timestamp}/{@code timestamptz} as {@link Timestamp}, {@code date} as {@link java.sql.Date},
     * {@code time} as {@link java.sql.Time}, {@code numeric} as {@link java.math.BigDecimal},
     * {@code int2} as {@link Integer}, {@code bytea} as {@code byte[]}.
     */
    static Object asJdbc(Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i;
            case Long l -> l;
            case String s -> s;
            case Numeric n -> n.bigDecimalValue() != null ? n.bigDecimalValue() : n.doubleValue();
            case LocalDateTime l -> Timestamp.valueOf(l);
            case OffsetDateTime o -> Timestamp.from(o.toInstant());
            case LocalDate d -> java.sql.Date.valueOf(d);
            case LocalTime t -> java.sql.Time.valueOf(t);
            case Short s -> s.intValue();
            case Buffer b -> b.getBytes();
            default -> value;
        };
    }

    // ---- placeholders ----------------------------------------------------------------------------

    /**
     * {@code ?} placeholders turned into PostgreSQL's {@code $1, $2, ...}, skipping those inside string
     * literals ({@code '...'}, {@code E'...'}), quoted identifiers, dollar-quoted bodies and comments, as
     * pgjdbc does; {@code ??} stands for a literal {@code ?} (pgjdbc's escape, for the JSON operators).
     * Also notes whether the text is one statement of a kind this client runs ({@link #accepts}).
     */
    static Text numbered(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 8);
        int n = 0;
        boolean single = true;
        int len = sql.length();
        for (int i = 0; i < len; i++) {
            char c = sql.charAt(i);
            switch (c) {
                case '\'' -> {
                    boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                            && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_');
                    int end = quoted(sql, i, '\'', escapes);
                    out.append(sql, i, end);
                    i = end - 1;
                }
                case '"' -> {
                    int end = quoted(sql, i, '"', false);
                    out.append(sql, i, end);
                    i = end - 1;
                }
                case '-' -> {
                    if (i + 1 < len && sql.charAt(i + 1) == '-') {
                        int end = sql.indexOf('\n', i);
                        end = end < 0 ? len : end;
                        out.append(sql, i, end);
                        i = end - 1;
                    } else {
                        out.append(c);
                    }
                }
                case '/' -> {
                    if (i + 1 < len && sql.charAt(i + 1) == '*') {
                        int end = blockComment(sql, i);
                        out.append(sql, i, end);
                        i = end - 1;
                    } else {
                        out.append(c);
                    }
                }
                case '$' -> {
                    int end = dollarQuoted(sql, i);
                    out.append(sql, i, end);
                    i = end - 1;
                }
                case '?' -> {
                    if (i + 1 < len && sql.charAt(i + 1) == '?') {
                        out.append('?');
                        i++;
                    } else {
                        out.append('$').append(++n);
                    }
                }
                case ';' -> {
                    out.append(c);
                    if (!sql.substring(i + 1).isBlank()) {
                        single = false;
                    }
                }
                default -> out.append(c);
            }
        }
        return new Text(out.toString(), single && COUNTED.contains(leadingKeyword(sql)));
    }

    /** The first word of {@code sql} in upper case, past white space, comments and opening parentheses. */
    static String leadingKeyword(String sql) {
        int i = 0;
        int len = sql.length();
        while (i < len) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && i + 1 < len && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? len : end;
            } else if (c == '/' && i + 1 < len && sql.charAt(i + 1) == '*') {
                i = blockComment(sql, i);
            } else {
                break;
            }
        }
        int start = i;
        while (i < len && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(java.util.Locale.ROOT);
    }

    /** The index after the literal opened at {@code start} (doubled quotes, and backslashes in E'', escape). */
    private static int quoted(String sql, int start, char quote, boolean backslashEscapes) {
        for (int i = start + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i++;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i++;
                } else {
                    return i + 1;
                }
            }
        }
        return sql.length();
    }

    private static int blockComment(String sql, int start) {
        int depth = 0;
        for (int i = start; i < sql.length() - 1; i++) {
            if (sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
                depth++;
                i++;
            } else if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                depth--;
                i++;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        return sql.length();
    }

    /** After {@code $tag$...$tag$} opened at {@code start}; just the {@code $} when it opens no such quote. */
    private static int dollarQuoted(String sql, int start) {
        if (start > 0 && (Character.isLetterOrDigit(sql.charAt(start - 1)) || sql.charAt(start - 1) == '_')) {
            return start + 1; // part of an identifier such as a$b
        }
        int i = start + 1;
        while (i < sql.length() && (Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_'
                || i > start + 1 && Character.isDigit(sql.charAt(i)))) {
            i++;
        }
        if (i >= sql.length() || sql.charAt(i) != '$') {
            return start + 1;
        }
        String tag = sql.substring(start, i + 1);
        int close = sql.indexOf(tag, i + 1);
        return close < 0 ? sql.length() : close + tag.length();
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    /** Runs {@code SELECT 1}: the pipelined client must reach the database at start, as HikariCP does. */
    void check() throws SQLException {
        query("SELECT 1", Integer.class, new Object[0]);
    }

    /**
     * Closes the connections and stops the event loop threads; waits at most a few seconds for each. On Covet's
     * I/O threads that have already stopped there is nothing left to run the closing on: the connections closed
     * with those threads, and saying so is all that is left.
     */
    @Override
    public void close() {
        if (borrowedLoops != null && borrowedLoops.isShuttingDown()) {
            Database.closeFailed("the pipelined PostgreSQL client", new IllegalStateException("Covet's I/O threads "
                    + "stopped before the database was closed (its connections closed with them); close the database "
                    + "before stopping the app"));
            return;
        }
        try {
            awaitClosed(client.close(), "the pipelined PostgreSQL client");
        } finally {
            awaitClosed(vertx.close(), "the Vert.x event loops");
        }
    }

    private static void awaitClosed(Future<Void> closing, String what) {
        try {
            closing.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Database.closeFailed(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
