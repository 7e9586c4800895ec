package dev.covet.data;

/**
 * The databases every test runs on: the real servers of the machine, SQLite a temp file. There is no
 * MySQL server here: {@link #MYSQL} is the MariaDB server reached through a {@code mysql://} URL, so
 * through MySQL Connector/J and the {@link Dialect#MYSQL} code path (generated keys instead of
 * {@code RETURNING}). It proves that path and that driver, not MySQL's own SQL behaviour.
 * {@link #POSTGRESQL} and {@link #POSTGRESQL_PIPELINED} are the same server through the two clients
 * of {@link PgClient}, so every PostgreSQL test runs on both.
 */
public enum Vendor {
    SQLITE, POSTGRESQL, POSTGRESQL_PIPELINED, MARIADB, MYSQL;

    boolean postgres() {
        return this == POSTGRESQL || this == POSTGRESQL_PIPELINED;
    }

    /** {@code b} with this vendor's client chosen explicitly (the default may change; the tests must not). */
    Database.Builder client(Database.Builder b) {
        return switch (this) {
            case POSTGRESQL -> b.pgClient(PgClient.JDBC);
            case POSTGRESQL_PIPELINED -> b.pgClient(PgClient.PIPELINED);
            default -> b;
        };
    }
}
