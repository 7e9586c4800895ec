package dev.covet.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL database of the database scenarios, created and seeded by the harness itself so that
 * every target reads the same data and none can bring its own: a {@code world} table of
 * {@link Dataset#worldRows()} rows (ids 1..N, {@code randomnumber} in 1..10,000) and TechEmpower's 12
 * fortunes ({@link TechEmpowerData}).
 *
 * <p>Preparing is idempotent: a database that already holds exactly that data is reused as it is (the
 * updates scenario changes {@code randomnumber}, which stays within range); anything else is reseeded.
 * An advisory lock keeps two sessions from seeding the same database at once. Nothing is dropped at
 * the end, so the next session starts at once; {@link #drop} removes a database (tests use it).
 */
final class BenchDatabase {
    /** Where the databases live unless {@code --database} says otherwise. */
    static final String DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432";

    /** The sizes of World the harness can seed. */
    enum Dataset {
        /** TechEmpower's 10,000 rows. */
        STANDARD(TechEmpowerData.STANDARD_WORLD_ROWS, "covet_bench_world_10k"),
        /** 1,000,000 rows, ids drawn from the whole range (beyond TechEmpower's fixed 10,000). */
        LARGE(1_000_000, "covet_bench_world_1m");

        private final int worldRows;
        private final String databaseName;

        Dataset(int worldRows, String databaseName) {
            this.worldRows = worldRows;
            this.databaseName = databaseName;
        }

        int worldRows() {
            return worldRows;
        }

        String databaseName() {
            return databaseName;
        }
    }

    /**
     * A database ready for the targets.
     *
     * @param dataset   which dataset
     * @param url       the database as targets are given it ({@code COVET_DATA_URL})
     * @param worldRows rows of {@code world}
     * @param actions   what preparing did, in order (for the progress display and results.json)
     * @param seconds   how long preparing took
     * @param server    the PostgreSQL server's version string
     * @param location  where it is, for the harness's own reads
     */
    record Prepared(Dataset dataset, String url, int worldRows, List<String> actions, double seconds, String server, Location location) {
    }

    /** Where a database is: user, host, port and name, parsed from {@code postgresql://user@host:port/name}. */
    record Location(String user, String host, int port, String database) {
        static Location parse(String url, Dataset dataset) {
            URI uri = URI.create(url);
            if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("--database must look like postgresql://user@host:port[/name], not " + url);
            }
            String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            String name = path.isEmpty() ? dataset.databaseName() : path;
            if (!name.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("database name must be lower-case letters, digits and '_': " + name);
            }
            return new Location(uri.getUserInfo() == null ? "postgres" : uri.getUserInfo(), uri.getHost(),
                    uri.getPort() < 0 ? 5432 : uri.getPort(), name);
        }

        String jdbc(String db) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + db;
        }

        /** The URL a Covet target understands ({@code COVET_DATA_URL}). */
        String covetUrl() {
            return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
        }
    }

    private BenchDatabase() {
    }

    /**
     * Creates the database if missing and makes its tables hold exactly the dataset.
     *
     * @throws SQLException if PostgreSQL is unreachable or refuses (the caller says how to start it)
     */
    static Prepared prepare(Location at, Dataset dataset) throws SQLException {
        long start = System.nanoTime();
        List<String> actions = new ArrayList<>();
        String version;
        try (Connection admin = DriverManager.getConnection(at.jdbc("postgres"), at.user(), "")) {
            version = admin.getMetaData().getDatabaseProductVersion();
            if (!exists(admin, at.database())) {
                try (Statement s = admin.createStatement()) {
                    s.execute("CREATE DATABASE " + at.database());
                    actions.add("created database " + at.database());
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState())) { // 42P04: another session created it meanwhile
                        throw e;
                    }
                }
            }
        }
        try (Connection c = DriverManager.getConnection(at.jdbc(at.database()), at.user(), "")) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(hashtext('covet-bench-seed'))");
                try {
                    s.execute("CREATE TABLE IF NOT EXISTS world (id integer PRIMARY KEY, randomnumber integer NOT NULL)");
                    s.execute("CREATE TABLE IF NOT EXISTS fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL)");
                    seedWorld(s, dataset.worldRows(), actions);
                    seedFortunes(c, actions);
                } finally {
                    s.execute("SELECT pg_advisory_unlock(hashtext('covet-bench-seed'))");
                }
            }
        }
        return new Prepared(dataset, at.covetUrl(), dataset.worldRows(), List.copyOf(actions), (System.nanoTime() - start) / 1e9, version,
                at);
    }

    private static void seedWorld(Statement s, int rows, List<String> actions) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0),"
                + " count(*) FILTER (WHERE randomnumber < 1 OR randomnumber > " + TechEmpowerData.RANDOM_NUMBER_MAX + ") FROM world")) {
            r.next();
            if (r.getLong(1) == rows && r.getLong(2) == 1 && r.getLong(3) == rows && r.getLong(4) == 0) {
                actions.add("reused world: " + rows + " rows, ids 1.." + rows);
                return;
            }
            actions.add(r.getLong(1) == 0 ? "world was empty" : "world held " + r.getLong(1) + " rows (ids " + r.getLong(2) + ".."
                    + r.getLong(3) + ", " + r.getLong(4) + " randomnumber out of range): reseeding");
        }
        s.execute("TRUNCATE world");
        s.execute("INSERT INTO world (id, randomnumber) SELECT g, 1 + floor(random() * " + TechEmpowerData.RANDOM_NUMBER_MAX
                + ")::integer FROM generate_series(1, " + rows + ") AS g");
        s.execute("ANALYZE world");
        actions.add("seeded world with " + rows + " rows");
    }

    private static void seedFortunes(Connection c, List<String> actions) throws SQLException {
        List<TechEmpowerData.Fortune> found = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id, message FROM fortune ORDER BY id")) {
            while (r.next()) {
                found.add(new TechEmpowerData.Fortune(r.getInt(1), r.getString(2)));
            }
        }
        if (found.equals(TechEmpowerData.FORTUNES)) {
            actions.add("reused fortune: " + found.size() + " rows");
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE fortune");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO fortune (id, message) VALUES (?, ?)")) {
            for (TechEmpowerData.Fortune f : TechEmpowerData.FORTUNES) {
                p.setInt(1, f.id());
                p.setString(2, f.message());
                p.addBatch();
            }
            p.executeBatch();
        }
        actions.add("seeded fortune with " + TechEmpowerData.FORTUNES.size() + " rows");
    }

    /** Drops the database if it exists (for tests that make their own). */
    static void drop(Location at) throws SQLException {
        try (Connection admin = DriverManager.getConnection(at.jdbc("postgres"), at.user(), "");
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + at.database() + " WITH (FORCE)");
        }
    }

    private static boolean exists(Connection admin, String name) throws SQLException {
        try (PreparedStatement p = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }
}
