package dev.covet.data.internal;

import dev.covet.data.Many;
import dev.covet.data.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the rows of one result set to records (or, for a non-record type, the first column to that
 * type). The column order is resolved once per result set from its metadata; each row then costs one
 * constructor call.
 */
public final class RowMapper<T> {
    private final Class<T> type;
    private final RecordShape<T> shape;
    private final int[] columnOf;
    private final String[] labels;

    private RowMapper(Class<T> type, RecordShape<T> shape, int[] columnOf, String[] labels) {
        this.type = type;
        this.shape = shape;
        this.columnOf = columnOf;
        this.labels = labels;
    }

    /** One row's values by column number (1-based), as a JDBC driver would return them from {@code getObject}. */
    @FunctionalInterface
    public interface Row {
        Object get(int column) throws SQLException;
    }

    /** @throws IllegalArgumentException naming a component the result has no column for */
    public static <T> RowMapper<T> forResult(Class<T> type, ResultSet rs) throws SQLException {
        if (!type.isRecord()) {
            return new RowMapper<>(type, null, null, null);
        }
        ResultSetMetaData meta = rs.getMetaData();
        String[] labels = new String[meta.getColumnCount()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = meta.getColumnLabel(i + 1);
        }
        return forLabels(type, labels);
    }

    /**
     * The mapper for a result whose columns have these labels, in order (for clients other than JDBC).
     *
     * @throws IllegalArgumentException naming a component the result has no column for
     */
    public static <T> RowMapper<T> forLabels(Class<T> type, String[] labels) {
        if (!type.isRecord()) {
            return new RowMapper<>(type, null, null, null);
        }
        RecordShape<T> shape = RecordShape.of(type);
        RowMapper<T> last = shape.lastMapper;
        if (last != null && java.util.Arrays.equals(last.labels, labels)) {
            return last; // same columns as last time: the matching below would give the same answer
        }
        int count = labels.length;
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = Names.matchKey(labels[i]);
        }
        List<RecordShape.Part> parts = shape.parts();
        int[] columnOf = new int[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            RecordShape.Part part = parts.get(p);
            columnOf[p] = -1;
            if (part.kind() == RecordShape.Kind.MANY) {
                continue;
            }
            String byColumn = part.matchKey();
            String byName = Names.matchKey(part.name());
            for (int i = 0; i < count; i++) {
                if (keys[i].equals(byColumn) || keys[i].equals(byName)) {
                    columnOf[p] = i + 1;
                    break;
                }
            }
            if (columnOf[p] < 0) {
                throw new IllegalArgumentException("The result has no column for " + type.getSimpleName() + "."
                        + part.name() + " (looked for '" + part.column() + "'; columns: " + List.of(labels) + ")");
            }
        }
        RowMapper<T> mapper = new RowMapper<>(type, shape, columnOf, labels.clone());
        shape.lastMapper = mapper;
        return mapper;
    }

    public T map(ResultSet rs) throws SQLException {
        return map(rs::getObject);
    }

    /** The row's record (or, for a non-record type, its first column as that type). */
    public T map(Row row) throws SQLException {
        if (shape == null) {
            return type.cast(ValueConversion.toJava(row.get(1), type));
        }
        List<RecordShape.Part> parts = shape.parts();
        Object[] args = new Object[parts.size()];
        for (int p = 0; p < args.length; p++) {
            RecordShape.Part part = parts.get(p);
            switch (part.kind()) {
                case MANY -> args[p] = Many.notLoaded();
                case REF -> {
                    Object id = row.get(columnOf[p]);
                    args[p] = id == null ? null : Ref.to(normalizeId(id));
                }
                case VALUE -> {
                    Object value = ValueConversion.toJava(row.get(columnOf[p]), part.type());
                    if (value == null && part.type().isPrimitive()) {
                        throw new IllegalStateException("Column '" + part.column() + "' is NULL but "
                                + type.getSimpleName() + "." + part.name() + " is a " + part.type());
                    }
                    args[p] = value;
                }
            }
        }
        return shape.construct(args);
    }

    /** Ids compare across drivers: every integral id is a Long. */
    public static Object normalizeId(Object id) {
        return switch (id) {
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case java.math.BigInteger b -> b.longValue();
            case java.math.BigDecimal d -> d.longValueExact();
            default -> id;
        };
    }

    public List<T> mapAll(ResultSet rs) throws SQLException {
        List<T> out = new ArrayList<>();
        Row row = rs::getObject; // one accessor for all rows, not one per row
        while (rs.next()) {
            out.add(map(row));
        }
        return out;
    }
}
