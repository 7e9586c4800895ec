package dev.covet.data;

import java.util.List;
import java.util.Optional;

/**
 * Plain SQL with bound parameters, mapped to records. Parameters are always bound ({@code ?}), never
 * concatenated into the statement.
 *
 * <p>Rows map to a record by column label: {@code random_number}, {@code randomNumber} and
 * {@code randomnumber} all fill a component {@code randomNumber} (case and underscores are ignored).
 * A row type that is not a record ({@code Long.class}, {@code String.class}, ...) takes the first column.
 *
 * <p>Every method may throw {@link DatabaseBusyException} (pool exhausted for the acquisition timeout),
 * {@link DatabaseUnavailableException} (server unreachable) or {@link DataAccessException} (the
 * statement failed).
 */
public interface Sql {

    /** Every row of the result, mapped to {@code rowType}. */
    <T> List<T> query(String sql, Class<T> rowType, Object... params);

    /**
     * The only row of the result, or empty when there is none.
     *
     * @throws DataAccessException if the statement returns more than one row
     */
    <T> Optional<T> queryOne(String sql, Class<T> rowType, Object... params);

    /**
     * Runs {@code sql} once per parameter row, each one an independent lookup, and returns each one's
     * only row (empty when there is none), in the order of {@code paramRows}. On PostgreSQL's pipelined
     * client, outside a transaction, all of them are sent at once: one round trip for the lot instead of
     * one each. Elsewhere they run one after another, exactly like that many {@link #queryOne} calls.
     * Each counts as one statement in {@link QueryStats}.
     *
     * @throws DataAccessException if a statement returns more than one row
     */
    <T> List<Optional<T>> queryOneEach(String sql, Class<T> rowType, List<? extends List<?>> paramRows);

    /** Runs an INSERT, UPDATE, DELETE or DDL statement and returns the number of rows it changed. */
    int update(String sql, Object... params);

    /**
     * Runs one statement once per parameter row as a JDBC batch, inside a transaction (the current one,
     * or a new one), and returns the row counts.
     */
    int[] batch(String sql, List<? extends List<?>> paramRows);

    /** The repository of a record annotated for the ORM (see {@link Table}). */
    <T, ID> Repository<T, ID> repository(Class<T> type);

    /**
     * Runs {@code work} in a transaction: committed when it returns, rolled back when it throws (the
     * exception is rethrown; checked ones wrapped in {@link DataAccessException}). Inside another
     * transaction on the same thread it runs in a savepoint.
     */
    <R> R transaction(TransactionWork<R> work);

    /** {@link #transaction(TransactionWork)} with an isolation level (not allowed for a nested one). */
    <R> R transaction(Isolation isolation, TransactionWork<R> work);

    /** {@link #transaction(TransactionWork)} without a result. */
    void inTransaction(TransactionAction action);
}
