package dev.covet.peers.contract;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throw-away PostgreSQL database for a peer's test: {@code covet_peers_<random>} on the local server
 * ({@code postgres} user, trust authentication), holding TechEmpower's World (10,000 rows) and Fortune
 * (12 rows) tables. {@link #close()} drops it, whatever happened in between.
 */
public final class PeerTestDatabase implements AutoCloseable {
    /** The local server, as the harness reaches it. */
    static final String SERVER = "127.0.0.1:5432";
    static final int WORLD_ROWS = 10_000;

    /** TechEmpower's 12 fortunes, in id order. */
    static final List<String> FORTUNES = List.of(
            "fortune: No such file or directory",
            "A computer scientist is someone who fixes things that aren't broken.",
            "After enough decimal points, nobody gives a damn.",
            "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
            "A computer program does what you tell it to do, not what you want it to do.",
            "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen",
            "Any program that runs right is obsolete.",
            "A list is only as strong as its weakest link. \u2014 Donald Knuth",
            "Feature: A bug with seniority.",
            "Computers make very fast, very accurate mistakes.",
            "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
            "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af");

    private final String name;

    private PeerTestDatabase(String name) {
        this.name = name;
    }

    /** Creates and seeds a new database; drops it again if seeding fails. */
    public static PeerTestDatabase create() throws SQLException {
        String name = "covet_peers_" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36).toLowerCase(Locale.ROOT);
        try (Connection admin = connect("postgres"); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        PeerTestDatabase db = new PeerTestDatabase(name);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE world (id integer PRIMARY KEY, randomnumber integer NOT NULL)");
            s.execute("CREATE TABLE fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL)");
            s.execute("INSERT INTO world (id, randomnumber) SELECT g, 1 + floor(random() * 10000)::integer FROM generate_series(1, "
                    + WORLD_ROWS + ") AS g");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO fortune (id, message) VALUES (?, ?)")) {
                for (int i = 0; i < FORTUNES.size(); i++) {
                    p.setInt(1, i + 1);
                    p.setString(2, FORTUNES.get(i));
                    p.addBatch();
                }
                p.executeBatch();
            }
        } catch (SQLException | RuntimeException e) {
            try {
                db.close();
            } catch (SQLException dropFailed) {
                e.addSuppressed(dropFailed);
            }
            throw e;
        }
        return db;
    }

    /** The database as the harness hands it to a target ({@code COVET_DATA_URL}). */
    public String url() {
        return "postgresql://postgres@" + SERVER + "/" + name;
    }

    /** randomnumber of every World row, by id. */
    Map<Integer, Integer> worldSnapshot() throws SQLException {
        Map<Integer, Integer> rows = new HashMap<>(WORLD_ROWS * 2);
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id, randomnumber FROM world")) {
            while (r.next()) {
                rows.put(r.getInt(1), r.getInt(2));
            }
        }
        return rows;
    }

    private Connection connect() throws SQLException {
        return connect(name);
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/" + database, "postgres", "");
    }

    /** Drops the database, closing whatever connections the peer left open. */
    @Override
    public void close() throws SQLException {
        try (Connection admin = connect("postgres"); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
