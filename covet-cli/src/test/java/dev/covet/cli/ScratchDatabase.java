package dev.covet.cli;

import dev.covet.data.Database;
import dev.covet.data.PgClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database of its own for one test: a new SQLite file, or {@code covet_cli_<pid>_<n>} on the machine's
 * PostgreSQL or MariaDB. {@link #db} is a second connection to look at what the command did; {@link #close()}
 * drops the database.
 */
final class ScratchDatabase implements AutoCloseable {
    enum Vendor { SQLITE, POSTGRESQL, MARIADB }

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final Vendor vendor;
    final String name;
    final String url;
    final Database db;
    private final Path dir;

    ScratchDatabase(Vendor vendor) throws IOException, SQLException {
        this.vendor = vendor;
        this.name = "covet_cli_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        this.dir = vendor == Vendor.SQLITE ? Files.createTempDirectory("covet-cli-") : null;
        this.url = switch (vendor) {
            case SQLITE -> "sqlite:" + dir.resolve(name + ".db");
            case POSTGRESQL -> "postgresql://postgres@127.0.0.1:5432/" + name;
            case MARIADB -> "mariadb://root@127.0.0.1:3306/" + name;
        };
        if (vendor != Vendor.SQLITE) {
            admin("CREATE DATABASE " + name);
        }
        this.db = Database.builder().url(url).loadExternal(false).poolSize(1).pgClient(PgClient.JDBC).build();
    }

    /** Whether a table of this name exists in this database. */
    boolean hasTable(String table) {
        String sql = switch (vendor) {
            case SQLITE -> "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?";
            case POSTGRESQL -> "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ?";
            case MARIADB -> "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?";
        };
        return db.queryOne(sql, Long.class, table).orElseThrow() > 0;
    }

    /** A statement that takes about a second on this database, to hold a migration open while another run starts. */
    String sleepStatement() {
        return switch (vendor) {
            case POSTGRESQL -> "SELECT pg_sleep(1);";
            case MARIADB -> "SELECT SLEEP(1);";
            // no sleep function in SQLite: a recursive count that takes a moment
            case SQLITE -> "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT COUNT(*) FROM n;";
        };
    }

    private void admin(String sql) throws SQLException {
        String admin = vendor == Vendor.POSTGRESQL ? "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"
                : "jdbc:mariadb://127.0.0.1:3306/?user=root";
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws IOException, SQLException {
        db.close();
        switch (vendor) {
            case SQLITE -> {
                try (var files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            case POSTGRESQL -> admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            case MARIADB -> admin("DROP DATABASE IF EXISTS " + name);
        }
    }

    @Override
    public String toString() {
        return vendor.name();
    }
}
