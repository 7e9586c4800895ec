package dev.covet.data;

import dev.covet.data.internal.RecordShape.Kind;
import dev.covet.data.internal.RecordShape.Part;
import dev.covet.data.internal.RowMapper;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads and writes one entity type: a record with {@link Id} (and optionally {@link Table},
 * {@link Column}, relations). Get one from {@link Database#repository(Class)}. Its SQL is generated once,
 * when the repository is created; every value is bound.
 *
 * <pre>{@code
 * Repository<Book, Long> books = db.repository(Book.class);
 * Book saved = books.insert(new Book(0, "Dune", Ref.to(author.id()), Many.notLoaded()));
 * List<Book> cheap = books.query().where(lt(Book::price, 10)).prefetch(Book::author).list();
 * }</pre>
 *
 * <p>Every method may throw {@link DatabaseBusyException}, {@link DatabaseUnavailableException} or
 * {@link DataAccessException}, like {@link Sql}.
 */
public final class Repository<T, ID> {
    /** Rows per multi-row INSERT in {@link #insertAll}: well below every driver's parameter limit. */
    private static final int MAX_PARAMS_PER_STATEMENT = 30_000;

    final Database db;
    final EntityModel<T> model;
    final Dialect dialect;
    final String selectColumns;
    private final String insertPrefix;
    private final String returning;
    private final String getSql;
    private final String updateSql;
    private final String deleteSql;

    Repository(Database db, EntityModel<T> model) {
        this.db = db;
        this.model = model;
        this.dialect = db.dialect();
        this.selectColumns = model.columns.stream().map(p -> q(p.column())).collect(Collectors.joining(", "));
        this.insertPrefix = "INSERT INTO " + q(model.table) + " ("
                + model.insertColumns.stream().map(p -> q(p.column())).collect(Collectors.joining(", ")) + ") VALUES ";
        this.returning = " RETURNING " + selectColumns;
        this.getSql = "SELECT " + selectColumns + " FROM " + q(model.table) + " WHERE " + q(model.id.column()) + " = ?";
        this.updateSql = "UPDATE " + q(model.table) + " SET " + model.columns.stream().filter(p -> p != model.id)
                .map(p -> q(p.column()) + " = ?").collect(Collectors.joining(", ")) + " WHERE " + q(model.id.column()) + " = ?";
        this.deleteSql = "DELETE FROM " + q(model.table) + " WHERE " + q(model.id.column()) + " = ?";
    }

    String q(String identifier) {
        return SqlText.quote(dialect, identifier);
    }

    /** The entity's table name. */
    public String table() {
        return model.table;
    }

    /**
     * Inserts {@code entity} and returns it as stored: with the generated id (if {@link GeneratedValue})
     * and any column defaults. One statement ({@code INSERT ... RETURNING}); on MySQL, which has no
     * {@code RETURNING}, two: the INSERT, whose generated key is read through JDBC, and a SELECT by id.
     */
    public T insert(T entity) {
        if (!dialect.insertReturning()) {
            return db.queryOne(getSql, model.type(), insertReadingKey(insertPrefix + placeholders(model.insertColumns.size()), entity))
                    .orElseThrow(() -> new DataAccessException("The row just inserted into " + model.table
                            + " cannot be read back", null));
        }
        String sql = insertPrefix + placeholders(model.insertColumns.size()) + returning;
        return db.run(true, sql, c -> {
            try (PreparedStatement ps = db.prepare(c, sql, insertValues(entity).toArray()); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return RowMapper.forResult(model.type(), rs).map(rs);
            }
        });
    }

    /**
     * Inserts every entity in one transaction, with multi-row INSERT statements (as few as the
     * parameter limit allows), and returns them as stored, in the order the database returned them
     * (insertion order on the supported databases).
     *
     * <p>On MySQL (no {@code RETURNING}) the rows are read back with one SELECT per chunk; with a
     * {@link GeneratedValue} id each row is inserted by a statement of its own, because MySQL reports
     * only the first id of a multi-row INSERT and drivers that return the others compute them as
     * consecutive, which InnoDB does not promise under every {@code innodb_autoinc_lock_mode}.
     */
    public List<T> insertAll(List<T> entities) {
        if (entities.isEmpty()) {
            return List.of();
        }
        if (!dialect.insertReturning()) {
            return insertAllThenSelect(entities);
        }
        int width = Math.max(1, model.insertColumns.size());
        int perStatement = rowsPerStatement();
        return db.transaction(tx -> {
            List<T> out = new ArrayList<>(entities.size());
            for (int from = 0; from < entities.size(); from += perStatement) {
                List<T> chunk = entities.subList(from, Math.min(entities.size(), from + perStatement));
                StringBuilder sql = new StringBuilder(insertPrefix);
                List<Object> params = new ArrayList<>(chunk.size() * width);
                String row = placeholders(model.insertColumns.size());
                for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").append(row);
                    params.addAll(insertValues(chunk.get(i)));
                }
                String text = sql.append(returning).toString();
                out.addAll(db.run(true, text, c -> {
                    try (PreparedStatement ps = db.prepare(c, text, params.toArray()); ResultSet rs = ps.executeQuery()) {
                        return RowMapper.forResult(model.type(), rs).mapAll(rs);
                    }
                }));
            }
            return out;
        });
    }

    private List<T> insertAllThenSelect(List<T> entities) {
        return db.transaction(tx -> {
            List<Object> ids = new ArrayList<>(entities.size());
            if (model.generatedId) {
                String sql = insertPrefix + placeholders(model.insertColumns.size());
                for (T entity : entities) {
                    ids.add(insertReadingKey(sql, entity));
                }
            } else {
                int perStatement = rowsPerStatement();
                for (int from = 0; from < entities.size(); from += perStatement) {
                    List<T> chunk = entities.subList(from, Math.min(entities.size(), from + perStatement));
                    List<Object> params = new ArrayList<>();
                    for (T entity : chunk) {
                        params.addAll(insertValues(entity));
                        ids.add(model.shape.read(model.id, entity));
                    }
                    db.update(insertPrefix + String.join(", ", java.util.Collections.nCopies(chunk.size(),
                            placeholders(model.insertColumns.size()))), params.toArray());
                }
            }
            Map<Object, T> stored = new HashMap<>();
            for (T row : byColumnIn(model.id, ids)) {
                stored.put(idKey(model.shape.read(model.id, row)), row);
            }
            List<T> out = new ArrayList<>(ids.size());
            for (Object id : ids) {
                T row = stored.get(idKey(id));
                if (row == null) {
                    throw new DataAccessException("The row with id " + id + " just inserted into " + model.table
                            + " cannot be read back", null);
                }
                out.add(row);
            }
            return out;
        });
    }

    /** Rows per multi-row INSERT: at most 1,000, and below {@link #MAX_PARAMS_PER_STATEMENT} parameters. */
    private int rowsPerStatement() {
        return Math.max(1, Math.min(1_000, MAX_PARAMS_PER_STATEMENT / Math.max(1, model.insertColumns.size())));
    }

    /** Runs {@code sql} for one entity and returns its id: the JDBC generated key, or the id it carries. */
    private Object insertReadingKey(String sql, T entity) {
        return db.run(true, sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                db.bind(ps, insertValues(entity).toArray());
                ps.executeUpdate();
                if (!model.generatedId) {
                    return model.shape.read(model.id, entity);
                }
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new DataAccessException("The driver returned no generated key for " + model.table, null);
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Ids compare by value whatever their boxed width (a generated key is a Long, an int id an Integer). */
    private static Object idKey(Object id) {
        return id instanceof Number n && !(id instanceof java.math.BigDecimal) ? (Object) n.longValue() : id;
    }

    /** The entity with this id, if there is one. */
    public Optional<T> get(ID id) {
        return db.queryOne(getSql, model.type(), id);
    }

    /**
     * Writes every column of {@code entity} to the row with its id.
     *
     * @throws EntityNotFoundException (a 404 problem) if no row has that id
     */
    public void update(T entity) {
        Object id = model.shape.read(model.id, entity);
        if (db.update(updateSql, updateValues(entity).toArray()) == 0) {
            throw new EntityNotFoundException("No " + model.type().getSimpleName() + " with id " + id);
        }
    }

    /** Updates every entity with one JDBC batch in one transaction; returns the number of rows changed. */
    public int updateAll(List<T> entities) {
        List<List<Object>> rows = entities.stream().map(this::updateValues).toList();
        int total = 0;
        for (int n : db.batch(updateSql, rows)) {
            total += n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, n);
        }
        return total;
    }

    /** Deletes the row with this id; false if there was none. */
    public boolean delete(ID id) {
        return db.update(deleteSql, id) > 0;
    }

    /**
     * Inserts {@code entity}, or updates the row with the same id if there is one, in one statement
     * ({@code ON CONFLICT}; {@code ON DUPLICATE KEY UPDATE ... VALUES(col)} on MariaDB and MySQL, where
     * MySQL 8.0.20+ answers it with a deprecation warning but runs it: the row-alias form it prefers is
     * not MariaDB syntax). An entity whose generated id is not set
     * yet is simply inserted. Returns the entity as stored.
     */
    public T upsert(T entity) {
        Object id = model.shape.read(model.id, entity);
        if (model.generatedId && EntityModel.isUnset(id)) {
            return insert(entity);
        }
        String columns = model.columns.stream().map(p -> q(p.column())).collect(Collectors.joining(", "));
        List<Part> others = model.columns.stream().filter(p -> p != model.id).toList();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(q(model.table)).append(" (").append(columns)
                .append(") VALUES ").append(placeholders(model.columns.size()));
        if (dialect.mysqlFamily()) {
            sql.append(" ON DUPLICATE KEY UPDATE ").append(others.isEmpty() ? q(model.id.column()) + " = " + q(model.id.column())
                    : others.stream().map(p -> q(p.column()) + " = VALUES(" + q(p.column()) + ")").collect(Collectors.joining(", ")));
        } else {
            sql.append(" ON CONFLICT (").append(q(model.id.column())).append(") DO ")
                    .append(others.isEmpty() ? "NOTHING" : "UPDATE SET " + others.stream()
                            .map(p -> q(p.column()) + " = EXCLUDED." + q(p.column())).collect(Collectors.joining(", ")));
        }
        List<Object> values = new ArrayList<>();
        for (Part p : model.columns) {
            values.add(model.shape.read(p, entity));
        }
        db.update(sql.toString(), values.toArray());
        return entity;
    }

    /** A query over this entity's table. */
    public Query<T> query() {
        return new Query<>(this);
    }

    /** All rows (mind the size of the table). */
    public List<T> findAll() {
        return query().list();
    }

    /** The number of rows. */
    public long count() {
        return query().count();
    }

    /** Rows whose {@code column} value is in {@code keys}, in one statement (used by prefetch). */
    List<T> byColumnIn(Part part, Collection<?> keys) {
        StringBuilder sql = new StringBuilder("SELECT ").append(selectColumns).append(" FROM ").append(q(model.table))
                .append(" WHERE ");
        List<Object> params = new ArrayList<>();
        SqlText.inList(dialect, q(part.column()), keys, sql, params);
        return db.query(sql.toString(), model.type(), params.toArray());
    }

    private List<Object> insertValues(T entity) {
        List<Object> values = new ArrayList<>(model.insertColumns.size());
        for (Part p : model.insertColumns) {
            values.add(model.shape.read(p, entity));
        }
        return values;
    }

    private List<Object> updateValues(T entity) {
        List<Object> values = new ArrayList<>(model.columns.size());
        for (Part p : model.columns) {
            if (p != model.id) {
                values.add(model.shape.read(p, entity));
            }
        }
        values.add(model.shape.read(model.id, entity));
        return values;
    }

    private static String placeholders(int n) {
        return "(" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
    }

    // ---- schema ----------------------------------------------------------------------------------

    /**
     * The CREATE TABLE and CREATE INDEX statements for this entity in this database's dialect, from its
     * annotations: copy them into a migration, or run them with {@link #createTable()} in tests.
     * Reference columns get a foreign key and an index. Join tables of {@link ManyToMany} are not
     * generated.
     */
    public List<String> createTableStatements() {
        List<String> columnsDdl = new ArrayList<>();
        List<String> after = new ArrayList<>();
        for (Part p : model.columns) {
            Column col = p.component().getAnnotation(Column.class);
            StringBuilder c = new StringBuilder(q(p.column())).append(' ');
            if (p == model.id && model.generatedId) {
                c.append(switch (dialect) {
                    case SQLITE -> "INTEGER PRIMARY KEY AUTOINCREMENT";
                    case POSTGRESQL -> "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
                    case MARIADB, MYSQL -> "BIGINT AUTO_INCREMENT PRIMARY KEY";
                });
            } else {
                Class<?> type = p.kind() == Kind.REF ? idTypeOf(p.elementType()) : p.type();
                c.append(sqlType(type, col == null ? 255 : col.length()));
                if (p == model.id) {
                    c.append(" PRIMARY KEY");
                } else if (type.isPrimitive() || (col != null && !col.nullable())) {
                    c.append(" NOT NULL");
                }
            }
            if (p.component().isAnnotationPresent(Unique.class)) {
                c.append(" UNIQUE");
            }
            columnsDdl.add(c.toString());
            if (p.kind() == Kind.REF) {
                EntityModel<?> target = EntityModel.of(p.elementType());
                columnsDdl.add("FOREIGN KEY (" + q(p.column()) + ") REFERENCES " + q(target.table) + " ("
                        + q(target.id.column()) + ")");
            }
            if (p.kind() == Kind.REF || p.component().isAnnotationPresent(Index.class)) {
                String name = "ix_" + model.table + "_" + p.column();
                after.add("CREATE INDEX " + q(name.length() > 60 ? name.substring(0, 60) : name) + " ON "
                        + q(model.table) + " (" + q(p.column()) + ")");
            }
        }
        List<String> out = new ArrayList<>();
        out.add("CREATE TABLE " + q(model.table) + " (" + String.join(", ", columnsDdl) + ")");
        out.addAll(after);
        return out;
    }

    /** Runs {@link #createTableStatements()}. */
    public void createTable() {
        db.inTransaction(tx -> {
            for (String ddl : createTableStatements()) {
                tx.update(ddl);
            }
        });
    }

    private static Class<?> idTypeOf(Class<?> entity) {
        EntityModel<?> target = EntityModel.of(entity);
        return target.id.type().isPrimitive() ? dev.covet.data.internal.ValueConversion.boxed(target.id.type())
                : target.id.type();
    }

    private String sqlType(Class<?> t, int length) {
        boolean sqlite = dialect == Dialect.SQLITE;
        boolean pg = dialect == Dialect.POSTGRESQL;
        if (t == long.class || t == Long.class) return sqlite ? "INTEGER" : "BIGINT";
        if (t == int.class || t == Integer.class || t == short.class || t == Short.class) return "INTEGER";
        if (t == boolean.class || t == Boolean.class) return sqlite ? "INTEGER" : "BOOLEAN";
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return sqlite ? "REAL" : pg ? "DOUBLE PRECISION" : "DOUBLE";
        }
        if (t == BigDecimal.class) return sqlite ? "NUMERIC" : "DECIMAL(19, 4)";
        if (t == String.class) return sqlite ? "TEXT" : "VARCHAR(" + length + ")";
        if (t == Instant.class) return sqlite ? "INTEGER" : pg ? "TIMESTAMP WITH TIME ZONE" : "DATETIME(6)";
        if (t == LocalDateTime.class) return sqlite ? "TEXT" : pg ? "TIMESTAMP" : "DATETIME(6)";
        if (t == LocalDate.class) return sqlite ? "TEXT" : "DATE";
        if (t == UUID.class) return sqlite ? "TEXT" : pg ? "UUID" : "CHAR(36)";
        if (t.isEnum()) return sqlite ? "TEXT" : "VARCHAR(64)";
        if (t == byte[].class) return sqlite ? "BLOB" : pg ? "BYTEA" : "LONGBLOB";
        throw new IllegalArgumentException("No SQL type for " + t.getName() + " in " + model.type().getSimpleName());
    }
}
