package dev.covet.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether a target answering {@code /updates} really wrote: TechEmpower's verifier counts the
 * database writes, because an implementation could return plausible rows and skip the UPDATE. The
 * harness reads World's {@code randomnumber} column before the warm-up and after the measured window
 * and counts the rows that differ.
 *
 * <p>The bound is deliberately loose, a lower bound only: with k row updates spread uniformly over N
 * rows, about N(1 - (1 - 1/N)^k) distinct rows change (a new value equals the old one once in 10,000);
 * fewer than half of that means the target wrote far less than it answered. Writes of failed requests
 * or of another session on the same database can only raise the count.
 */
final class WorldWriteCheck {
    private final BenchDatabase.Location at;
    private final int rowsPerRequest;

    WorldWriteCheck(BenchDatabase.Location at, int rowsPerRequest) {
        this.at = at;
        this.rowsPerRequest = rowsPerRequest;
    }

    /** {@code randomnumber} of every World row, by id (index 0 is id 1). */
    int[] snapshot() throws SQLException {
        try (Connection c = DriverManager.getConnection(at.jdbc(at.database()), at.user(), "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM world")) {
            r.next();
            int[] values = new int[r.getInt(1)];
            try (ResultSet rows = s.executeQuery("SELECT id, randomnumber FROM world ORDER BY id")) {
                while (rows.next()) {
                    int id = rows.getInt(1);
                    if (id >= 1 && id <= values.length) {
                        values[id - 1] = rows.getInt(2);
                    }
                }
            }
            return values;
        }
    }

    /** Rows whose value differs between the two snapshots. */
    static int changed(int[] before, int[] after) {
        int n = 0;
        for (int i = 0; i < Math.min(before.length, after.length); i++) {
            if (before[i] != after[i]) {
                n++;
            }
        }
        return n + Math.abs(before.length - after.length);
    }

    /** Rows expected to differ after {@code successfulRequests} answers of {@code rowsPerRequest} updates each. */
    double expectedChanged(long successfulRequests, int rows) {
        double k = (double) successfulRequests * rowsPerRequest;
        return rows * (1 - Math.pow(1 - 1.0 / rows, k)) * (1 - 1.0 / TechEmpowerData.RANDOM_NUMBER_MAX);
    }

    /**
     * @return null when enough rows changed, otherwise what is wrong (the run is then flagged)
     */
    String problem(int[] before, int[] after, long successfulRequests) {
        int changed = changed(before, after);
        double expected = expectedChanged(successfulRequests, before.length);
        if (changed < 0.5 * expected) {
            return String.format(java.util.Locale.ROOT, "updates not written: %d successful answers of %d rows each should have"
                    + " changed about %.0f World rows, but only %d changed", successfulRequests, rowsPerRequest, expected, changed);
        }
        return null;
    }

    /** One line for the run's notes. */
    String summary(int[] before, int[] after, long successfulRequests) {
        return String.format(java.util.Locale.ROOT, "World rows changed by the run: %d (about %.0f expected from %d successful answers)",
                changed(before, after), expectedChanged(successfulRequests, before.length), successfulRequests);
    }
}
