package dev.covet.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.covet.data.internal.Causes;
import dev.covet.data.internal.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The HikariCP pools behind a {@link Database}, and the judgement of why a connection could not be had.
 *
 * <p>SQLite: one writer pool of exactly one connection, and a reader pool. The database runs in WAL
 * mode, where readers never block the writer nor each other, but there is only ever one writer; giving
 * all writes one connection queues them in the pool (fair, bounded by the acquisition timeout) instead
 * of letting them collide on SQLite's file lock and spin in {@code busy_timeout}. Reader connections
 * are {@code query_only}, so a write sent to them fails loudly instead of racing the writer.
 * PostgreSQL and MariaDB: one pool serves both.
 *
 * <p>Availability: when a connection cannot be opened (or breaks mid-statement) the database is marked
 * down. While down, callers get {@link DatabaseUnavailableException} at once, and one caller per
 * {@link #PROBE_INTERVAL} is let through to try again; the first success marks it up. Without this,
 * every request during an outage would wait the full acquisition timeout.
 */
final class ConnectionPools implements AutoCloseable {
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

    private final HikariDataSource writer;
    private final HikariDataSource reader; // same as writer except on SQLite
    private final String description;
    private final LongAdder acquisitions = new LongAdder();
    private final LongAdder acquisitionNanos = new LongAdder();
    private final LongAccumulator maxAcquisitionNanos = new LongAccumulator(Math::max, 0);
    private volatile boolean down;
    private final AtomicLong nextProbeNanos = new AtomicLong();

    ConnectionPools(DatabaseUrl url, Database.Builder settings) {
        this.description = DatabaseUrl.redact(settings.url());
        if (url.vendor().equals("sqlite")) {
            url.sqlitePath().map(p -> java.nio.file.Path.of(p).toAbsolutePath().getParent())
                    .ifPresent(dir -> dir.toFile().mkdirs());
            this.writer = new HikariDataSource(hikari(url, settings, "writer", 1, false));
            this.reader = new HikariDataSource(hikari(url, settings, "reader", settings.poolSize(), true));
        } else {
            this.writer = new HikariDataSource(hikari(url, settings, "pool", settings.poolSize(), false));
            this.reader = writer;
        }
    }

    private static HikariConfig hikari(DatabaseUrl url, Database.Builder s, String role, int size, boolean readOnly) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("covet-" + url.vendor() + "-" + role);
        c.setJdbcUrl(url.jdbcUrl());
        s.user().or(url::user).ifPresent(c::setUsername);
        s.password().or(url::password).ifPresent(c::setPassword);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(size); // a fixed-size pool, as HikariCP recommends
        c.setConnectionTimeout(s.acquisitionTimeout().toMillis());
        c.setMaxLifetime(s.maxLifetime().toMillis());
        c.setLeakDetectionThreshold(s.leakDetectionThreshold().toMillis());
        c.setValidationTimeout(s.validationTimeout().toMillis());
        switch (url.vendor()) {
            case "sqlite" -> {
                c.addDataSourceProperty("journal_mode", "WAL");
                c.addDataSourceProperty("synchronous", "NORMAL");
                c.addDataSourceProperty("busy_timeout", String.valueOf(s.acquisitionTimeout().toMillis()));
                c.addDataSourceProperty("foreign_keys", "true");
                if (readOnly) {
                    c.setConnectionInitSql("PRAGMA query_only = true");
                }
            }
            case "postgresql" -> {
                c.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, s.acquisitionTimeout().toSeconds())));
                c.addDataSourceProperty("tcpKeepAlive", "true");
                // a JDBC batch of INSERTs goes out as multi-row INSERTs: one round trip per ~128 rows, not per row
                c.addDataSourceProperty("reWriteBatchedInserts", "true");
            }
            case "mariadb", "mysql" -> {
                // The same three properties mean the same in MariaDB Connector/J and MySQL Connector/J.
                // MySQL's rewriteBatchedStatements stays off: it would compute the generated keys of a
                // multi-row INSERT instead of reading them (see Repository.insertAll).
                c.addDataSourceProperty("connectTimeout", String.valueOf(s.acquisitionTimeout().toMillis()));
                c.addDataSourceProperty("useServerPrepStmts", "true");
                c.addDataSourceProperty("cachePrepStmts", "true");
            }
            default -> throw new IllegalStateException(url.vendor());
        }
        return c;
    }

    DataSource writerDataSource() {
        return writer;
    }

    /**
     * A connection for writing (or any work on PostgreSQL/MariaDB) or, on SQLite, for reading.
     *
     * @throws DatabaseBusyException if the pool stayed exhausted for the acquisition timeout
     * @throws DatabaseUnavailableException if the server cannot be reached
     */
    Connection acquire(boolean write) {
        HikariDataSource pool = write ? writer : reader;
        admit();
        long start = System.nanoTime();
        try {
            Connection c = pool.getConnection();
            markUp();
            return c;
        } catch (SQLException e) {
            if (isConnectionFailure(e)) {
                markDown();
                Throwable root = Causes.root(e);
                throw new DatabaseUnavailableException("The database " + description + " is unreachable: "
                        + root.getClass().getSimpleName() + ": " + root.getMessage(), e);
            }
            if (e instanceof SQLTransientConnectionException) {
                HikariPoolMXBean mx = pool.getHikariPoolMXBean();
                throw new DatabaseBusyException("No database connection became free within "
                        + pool.getConnectionTimeout() + " ms (pool size " + pool.getMaximumPoolSize() + ", "
                        + (mx == null ? 0 : mx.getThreadsAwaitingConnection()) + " waiting)", e);
            }
            throw new DataAccessException("Cannot get a connection: " + e.getMessage(), e);
        } finally {
            long took = System.nanoTime() - start;
            acquisitions.increment();
            acquisitionNanos.add(took);
            maxAcquisitionNanos.accumulate(took);
        }
    }

    /**
     * Lets a call through to the database unless it is marked down; while down, one call per
     * {@link #PROBE_INTERVAL} goes through to probe. Shared by the JDBC pools and the pipelined client.
     *
     * @throws DatabaseUnavailableException while the database is down and it is not this call's turn to probe
     */
    void admit() {
        if (down) {
            long now = System.nanoTime();
            long next = nextProbeNanos.get();
            if (now - next < 0 || !nextProbeNanos.compareAndSet(next, now + PROBE_INTERVAL.toNanos())) {
                throw new DatabaseUnavailableException("The database " + description
                        + " is unreachable; retrying in the background", null);
            }
        }
    }

    /** A call reached the database: the outage, if any, is over. */
    void markUp() {
        if (down) {
            down = false;
        }
    }

    void markDown() {
        if (!down) {
            nextProbeNanos.set(System.nanoTime() + PROBE_INTERVAL.toNanos());
            down = true;
        }
    }

    /**
     * Connection-level failures: a server that cannot be reached ({@link Causes#serverUnreachable}), a
     * connection that broke, SQLSTATE class 08, or a timeout whose cause is one (HikariCP's way).
     */
    static boolean isConnectionFailure(Throwable e) {
        if (Causes.serverUnreachable(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLTransientConnectionException && t.getCause() != null) {
                return true; // HikariCP puts the last connection failure as the cause of its timeout
            }
        }
        return false;
    }

    PoolStats stats() {
        int active = 0, idle = 0, waiting = 0, total = 0;
        for (HikariDataSource ds : reader == writer ? new HikariDataSource[] {writer}
                : new HikariDataSource[] {writer, reader}) {
            HikariPoolMXBean mx = ds.getHikariPoolMXBean();
            if (mx != null) {
                active += mx.getActiveConnections();
                idle += mx.getIdleConnections();
                waiting += mx.getThreadsAwaitingConnection();
                total += mx.getTotalConnections();
            }
        }
        long n = acquisitions.sum();
        return new PoolStats(active, idle, waiting, total, n,
                Duration.ofNanos(n == 0 ? 0 : acquisitionNanos.sum() / n), Duration.ofNanos(maxAcquisitionNanos.get()));
    }

    @Override
    public void close() {
        if (reader != writer) {
            reader.close();
        }
        writer.close();
    }
}
