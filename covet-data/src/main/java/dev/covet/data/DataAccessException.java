package dev.covet.data;

import java.sql.SQLException;
import java.util.Optional;

/**
 * A statement failed for a reason that is not the pool's or the network's: a constraint violation, a
 * syntax error, a missing table. Covet answers it with a 500 (the SQL appears only in dev mode).
 */
public class DataAccessException extends RuntimeException {
    private final String sqlState;
    private final int errorCode;

    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
        this.sqlState = cause instanceof SQLException sql ? sql.getSQLState() : null;
        this.errorCode = cause instanceof SQLException sql ? sql.getErrorCode() : 0;
    }

    /** The SQLSTATE the driver reported, if it reported one (e.g. {@code 23505} for a unique violation); sqlite-jdbc reports none, see {@link #errorCode()}. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /** The driver's vendor error code (SQLite result codes, MariaDB error numbers), 0 when none. */
    public int errorCode() {
        return errorCode;
    }
}
