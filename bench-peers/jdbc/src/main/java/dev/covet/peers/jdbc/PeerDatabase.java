package dev.covet.peers.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The work of TechEmpower's database tests over JDBC, the way the Javalin entry does it: a HikariCP pool
 * of pgjdbc connections, one prepared {@code SELECT} per World row, the updates written as one JDBC batch
 * in one transaction. Blocking: the caller's thread (a Jetty worker, a virtual thread) waits for PostgreSQL.
 *
 * <p>Pool: {@value #POOL_SIZE} connections, HikariCP's default and what the TechEmpower Javalin entry uses
 * outside TechEmpower's own machines; pgjdbc prepares each statement on the server after its 5th use on a
 * connection (its default {@code prepareThreshold}) and keeps it in the connection's statement cache.
 */
public final class PeerDatabase implements AutoCloseable {
    /** Connections in the pool. */
    public static final int POOL_SIZE = 10;
    /** The {@code queries} parameter is clamped to 1..this. */
    public static final int MAX_QUERIES = 500;
    /** Rows of World: ids and randomNumber both lie in 1..this. */
    public static final int WORLD_ROWS = 10_000;
    /** The fortune every /fortunes request adds before sorting. */
    public static final String ADDED_FORTUNE = "Additional fortune added at request time.";

    private static final String SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = ?";
    private static final String UPDATE_WORLD = "UPDATE world SET randomnumber = ? WHERE id = ?";
    private static final String SELECT_FORTUNES = "SELECT id, message FROM fortune";

    private final HikariDataSource pool;

    private PeerDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Opens the pool on the database of {@code COVET_DATA_URL}; null if that variable is unset or blank,
     * in which case the peer serves no database routes.
     */
    public static PeerDatabase fromEnvironment() {
        String url = System.getenv("COVET_DATA_URL");
        return url == null || url.isBlank() ? null : open(url);
    }

    /** Opens the pool on the database of a {@code postgresql://user@host:port/database} URL. */
    public static PeerDatabase open(String url) {
        DataUrl at = DataUrl.parse(url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("peer-db");
        config.setJdbcUrl(at.jdbcUrl());
        config.setUsername(at.user());
        config.setPassword(at.password());
        config.setMaximumPoolSize(POOL_SIZE);
        return new PeerDatabase(new HikariDataSource(config));
    }

    /** The rule for {@code queries}: missing or not a number is 1; clamped to 1..500. */
    public static int queries(String value) {
        if (value == null) {
            return 1;
        }
        try {
            return Math.clamp(Integer.parseInt(value.trim()), 1, MAX_QUERIES);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** {@code /db}: one random row. */
    public World world() {
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(SELECT_WORLD)) {
            return read(select, randomId());
        } catch (SQLException e) {
            throw new DatabaseException("reading World failed", e);
        }
    }

    /** {@code /queries}: {@code count} random rows, one query each. */
    public List<World> worlds(int count) {
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(SELECT_WORLD)) {
            List<World> worlds = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                worlds.add(read(select, randomId()));
            }
            return worlds;
        } catch (SQLException e) {
            throw new DatabaseException("reading World failed", e);
        }
    }

    /**
     * {@code /updates}: {@code count} random rows, each read by its own query, given a new randomNumber and
     * written back as one batch in one transaction, in id order so that concurrent batches cannot deadlock.
     */
    public List<World> updateWorlds(int count) {
        try (Connection c = pool.getConnection();
                PreparedStatement select = c.prepareStatement(SELECT_WORLD);
                PreparedStatement update = c.prepareStatement(UPDATE_WORLD)) {
            List<World> worlds = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                World read = read(select, randomId());
                int number;
                do {
                    number = randomId();
                } while (number == read.randomNumber());
                worlds.add(new World(read.id(), number));
            }
            List<World> inIdOrder = new ArrayList<>(worlds);
            inIdOrder.sort(Comparator.comparingInt(World::id));
            c.setAutoCommit(false);
            try {
                for (World w : inIdOrder) {
                    update.setInt(1, w.randomNumber());
                    update.setInt(2, w.id());
                    update.addBatch();
                }
                update.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return worlds;
        } catch (SQLException e) {
            throw new DatabaseException("updating World failed", e);
        }
    }

    /** {@code /fortunes}: every row plus {@link #ADDED_FORTUNE} (id 0), sorted by message. */
    public List<Fortune> fortunes() {
        List<Fortune> fortunes = new ArrayList<>(16);
        try (Connection c = pool.getConnection();
                PreparedStatement select = c.prepareStatement(SELECT_FORTUNES);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                fortunes.add(new Fortune(rows.getInt(1), rows.getString(2)));
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading Fortune failed", e);
        }
        fortunes.add(new Fortune(0, ADDED_FORTUNE));
        fortunes.sort(Comparator.comparing(Fortune::message));
        return fortunes;
    }

    /** The fortunes page, HTML-escaped by {@link FortunesPage}. */
    public String fortunesPage() {
        return FortunesPage.render(fortunes());
    }

    private static World read(PreparedStatement select, int id) throws SQLException {
        select.setInt(1, id);
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("no World row with id " + id);
            }
            return new World(row.getInt(1), row.getInt(2));
        }
    }

    private static int randomId() {
        return ThreadLocalRandom.current().nextInt(1, WORLD_ROWS + 1);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A query failed; the framework answers 500. */
    public static final class DatabaseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DatabaseException(String message, SQLException cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }
}
