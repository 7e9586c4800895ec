package dev.covet.data;

import java.sql.Connection;

/**
 * Transaction isolation levels. {@link #DEFAULT} keeps the server's default (PostgreSQL: read committed,
 * MariaDB: repeatable read). SQLite transactions are always serializable, whatever is asked.
 */
public enum Isolation {
    DEFAULT(-1),
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    final int jdbcLevel;

    Isolation(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }
}
