package dev.covet.data;

/** The SQL dialects Covet speaks. {@code mysql://} URLs use {@link #MARIADB} (MariaDB Connector/J). */
public enum Dialect {
    SQLITE, POSTGRESQL, MARIADB
}
