package dev.covet.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Plain SQL that does not wait: each method sends its statement and returns a stage that completes with
 * what the {@link Sql} method of the same name returns, or fails with what it throws
 * ({@link DatabaseBusyException}, {@link DatabaseUnavailableException}, {@link DataAccessException}). Got from
 * {@link Database#async()}; made for handlers that must not block, such as Covet's non-blocking routes with
 * {@code ctx.future}:
 *
 * <pre>{@code
 * app.get("/db", ctx -> ctx.future(db.async().queryOne(SQL, World.class, id)
 *         .thenAccept(world -> ctx.json(world.orElseThrow()))), RouteOptions.create().nonBlocking());
 * }</pre>
 *
 * <p>On PostgreSQL's pipelined client (the default for {@code postgresql://} URLs) nothing blocks: the
 * statement is written by the client's event loop and the stage completes there, so keep its callbacks
 * short. Elsewhere (SQLite, MariaDB and MySQL, PostgreSQL with {@code pg-client=jdbc}) there is no
 * non-blocking driver: the statement runs on a new virtual thread exactly as the blocking method would,
 * and the stage completes on that thread.
 *
 * <p>Outside transactions only: a transaction belongs to the thread that opened it, so inside
 * {@code db.transaction(...)} use the blocking methods, which join it. For {@link QueryStats} a statement
 * counts in the scope of the thread that sends it, when it is sent; its time is not added (it is usually
 * still running when a request's scope closes), but a slow one is logged as on the blocking path.
 */
public final class AsyncSql {
    private final Database db;

    AsyncSql(Database db) {
        this.db = db;
    }

    /** Every row of the result, mapped to {@code rowType}: {@link Sql#query}. */
    public <T> CompletionStage<List<T>> query(String sql, Class<T> rowType, Object... params) {
        return db.sendAsync(sql, 1, pg -> pg.queryAsync(sql, rowType, params), () -> db.query(sql, rowType, params));
    }

    /** The only row of the result, or empty: {@link Sql#queryOne}. */
    public <T> CompletionStage<Optional<T>> queryOne(String sql, Class<T> rowType, Object... params) {
        return db.sendAsync(sql, 1, pg -> pg.queryAsync(sql, rowType, params).thenApply(rows -> Database.onlyRow(sql, rows)),
                () -> db.queryOne(sql, rowType, params));
    }

    /** Each parameter row's only row, in order, sent together on the pipelined client: {@link Sql#queryOneEach}. */
    public <T> CompletionStage<List<Optional<T>>> queryOneEach(String sql, Class<T> rowType,
                                                              List<? extends List<?>> paramRows) {
        return db.sendAsync(sql, paramRows.size(), pg -> pg.queryEachAsync(sql, rowType, paramRows).thenApply(results -> {
            List<Optional<T>> out = new ArrayList<>(results.size());
            for (List<T> rows : results) {
                out.add(Database.onlyRow(sql, rows));
            }
            return out;
        }), () -> db.queryOneEach(sql, rowType, paramRows));
    }

    /** The number of rows an INSERT, UPDATE or DELETE changed: {@link Sql#update}. */
    public CompletionStage<Integer> update(String sql, Object... params) {
        return db.sendAsync(sql, 1, pg -> pg.updateAsync(sql, params), () -> db.update(sql, params));
    }

    /** One statement once per parameter row, all or nothing, and the row counts: {@link Sql#batch}. */
    public CompletionStage<int[]> batch(String sql, List<? extends List<?>> paramRows) {
        return db.sendAsync(sql, paramRows.size(), pg -> pg.batchAsync(sql, paramRows), () -> db.batch(sql, paramRows));
    }
}
