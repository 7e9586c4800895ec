package dev.covet.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A fresh database of its own for one test: a new {@code covet_test_<random>} database on the machine's
 * PostgreSQL or MariaDB, or a new SQLite file. {@link #close()} closes the pool and drops the database;
 * use it in try-with-resources so that happens even when the test fails. Published in covet-data's test-jar,
 * so the tests of modules built on covet-data (covet-cli) use it too.
 */
public final class TestDatabase implements AutoCloseable {
    static final String PG_HOST = "127.0.0.1:5432";
    static final String MARIADB_HOST = "127.0.0.1:3306";

    public final Vendor vendor;
    public final String name;
    public final String url;
    public final Database db;
    private final Path sqliteDir;

    private TestDatabase(Vendor vendor, String name, String url, Path sqliteDir, UnaryOperator<Database.Builder> settings) {
        this.vendor = vendor;
        this.name = name;
        this.url = url;
        this.sqliteDir = sqliteDir;
        Database opened;
        try {
            opened = settings.apply(vendor.client(Database.builder().url(url).loadExternal(false).poolSize(2))).build();
        } catch (RuntimeException e) {
            drop();
            throw e;
        }
        this.db = opened;
    }

    public static TestDatabase create(Vendor vendor) {
        return create(vendor, b -> b);
    }

    static TestDatabase create(Vendor vendor, UnaryOperator<Database.Builder> settings) {
        String name = "covet_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            return switch (vendor) {
                case SQLITE -> {
                    Path dir = Files.createTempDirectory("covet-test-");
                    yield new TestDatabase(vendor, name, "sqlite:" + dir.resolve(name + ".db"), dir, settings);
                }
                case POSTGRESQL, POSTGRESQL_PIPELINED -> {
                    admin(vendor, "CREATE DATABASE " + name);
                    yield new TestDatabase(vendor, name, "postgresql://postgres@" + PG_HOST + "/" + name, null, settings);
                }
                case MARIADB, MYSQL -> {
                    admin(vendor, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
                    yield new TestDatabase(vendor, name, urlVia(vendor, MARIADB_HOST, name), null, settings);
                }
            };
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Cannot create a test database on " + vendor, e);
        }
    }

    /** The URL of this database with another host:port (to go through a proxy). */
    String urlVia(String hostPort) {
        return urlVia(vendor, hostPort, name);
    }

    private static String urlVia(Vendor vendor, String hostPort, String name) {
        return switch (vendor) {
            case POSTGRESQL, POSTGRESQL_PIPELINED -> "postgresql://postgres@" + hostPort + "/" + name;
            case MARIADB -> "mariadb://root@" + hostPort + "/" + name;
            case MYSQL -> "mysql://root@" + hostPort + "/" + name;
            case SQLITE -> throw new UnsupportedOperationException("SQLite has no network");
        };
    }

    /** Whether a table of this name exists in this database. */
    public boolean hasTable(String table) {
        String sql = switch (vendor) {
            case SQLITE -> "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?";
            case POSTGRESQL, POSTGRESQL_PIPELINED ->
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ?";
            case MARIADB, MYSQL ->
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?";
        };
        return db.queryOne(sql, Long.class, table).orElseThrow() > 0;
    }

    static int serverPort(Vendor vendor) {
        return vendor.postgres() ? 5432 : 3306;
    }

    private static void admin(Vendor vendor, String sql) throws SQLException {
        String url = vendor.postgres() ? "jdbc:postgresql://" + PG_HOST + "/postgres?user=postgres"
                : "jdbc:mariadb://" + MARIADB_HOST + "/?user=root";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        try {
            if (db != null) {
                db.close();
            }
        } finally {
            drop();
        }
    }

    private void drop() {
        try {
            switch (vendor) {
                case SQLITE -> {
                    try (var files = Files.walk(sqliteDir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
                case POSTGRESQL, POSTGRESQL_PIPELINED -> admin(vendor, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                case MARIADB, MYSQL -> admin(vendor, "DROP DATABASE IF EXISTS " + name);
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Cannot drop test database " + name + " on " + vendor, e);
        }
    }

    @Override
    public String toString() {
        return vendor.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}
