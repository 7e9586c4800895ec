package dev.covet.data;

/**
 * The databases every test runs on: the real servers of the machine, SQLite a temp file. There is no
 * MySQL server here: {@link #MYSQL} is the MariaDB server reached through a {@code mysql://} URL, so
 * through MySQL Connector/J and the {@link Dialect#MYSQL} code path (generated keys instead of
 * {@code RETURNING}). It proves that path and that driver, not MySQL's own SQL behaviour.
 */
enum Vendor { SQLITE, POSTGRESQL, MARIADB, MYSQL }
