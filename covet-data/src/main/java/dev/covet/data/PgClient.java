package dev.covet.data;

import java.util.Locale;

/**
 * Which client runs PostgreSQL statements that are not part of a transaction (key
 * {@code covet.data.pg-client}). docs/data.md ("Choosing the PostgreSQL client") has the measurements.
 */
public enum PgClient {
    /** Every statement on a pooled JDBC connection (pgjdbc and HikariCP): one statement per connection at a time. */
    JDBC,
    /**
     * The default. {@code query}, {@code queryOne} and {@code update} outside a transaction go to the
     * Vert.x PostgreSQL client: few connections, many statements in flight on each (pipelined), the
     * calling virtual thread parked until its answer arrives. Transactions, {@code batch} (which
     * always runs in one), repositories, the query builder and migrations stay on JDBC.
     */
    PIPELINED;

    /** @throws IllegalArgumentException naming the accepted values */
    static PgClient parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "jdbc" -> JDBC;
            case "pipelined" -> PIPELINED;
            default -> throw new IllegalArgumentException("expected 'jdbc' or 'pipelined'");
        };
    }
}
