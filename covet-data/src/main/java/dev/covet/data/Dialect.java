package dev.covet.data;

import java.util.Locale;

/**
 * The SQL dialects Covet speaks, chosen by the URL: {@code sqlite:}, {@code postgresql://},
 * {@code mariadb://} (MariaDB Connector/J) and {@code mysql://} (MySQL Connector/J).
 *
 * <p>{@link #MARIADB} and {@link #MYSQL} share backtick quoting, {@code ON DUPLICATE KEY UPDATE},
 * {@code JSON_TABLE} and {@code AUTO_INCREMENT}; they differ in how an insert returns its row: MariaDB
 * has {@code INSERT ... RETURNING} (10.5+), MySQL has not, so there Covet reads the JDBC generated key
 * and selects the row back.
 */
public enum Dialect {
    SQLITE, POSTGRESQL, MARIADB, MYSQL;

    /** {@code sqlite}, {@code postgresql}, {@code mariadb} or {@code mysql}: the URL's scheme, and {@code {vendor}} in migration locations. */
    public String vendor() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** MariaDB or MySQL: the syntax the two share. */
    boolean mysqlFamily() {
        return this == MARIADB || this == MYSQL;
    }

    /** Whether {@code INSERT ... RETURNING} exists (everywhere but MySQL). */
    boolean insertReturning() {
        return this != MYSQL;
    }
}
