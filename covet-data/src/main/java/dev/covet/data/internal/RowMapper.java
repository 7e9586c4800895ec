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

    private RowMapper(Class<T> type, RecordShape<T> shape, int[] columnOf) {
        this.type = type;
        this.shape = shape;
        this.columnOf = columnOf;
    }

    /** @throws IllegalArgumentException naming a component the result has no column for */
    public static <T> RowMapper<T> forResult(Class<T> type, ResultSet rs) throws SQLException {
        if (!type.isRecord()) {
            return new RowMapper<>(type, null, null);
        }
        RecordShape<T> shape = RecordShape.of(type);
        ResultSetMetaData meta = rs.getMetaData();
        int count = meta.getColumnCount();
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = Names.matchKey(meta.getColumnLabel(i + 1));
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
                        + part.name() + " (looked for '" + part.column() + "'; columns: " + List.of(labels(meta)) + ")");
            }
        }
        return new RowMapper<>(type, shape, columnOf);
    }

    private static String[] labels(ResultSetMetaData meta) throws SQLException {
        String[] out = new String[meta.getColumnCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = meta.getColumnLabel(i + 1);
        }
        return out;
    }

    public T map(ResultSet rs) throws SQLException {
        if (shape == null) {
            return type.cast(ValueConversion.toJava(rs.getObject(1), type));
        }
        List<RecordShape.Part> parts = shape.parts();
        Object[] args = new Object[parts.size()];
        for (int p = 0; p < args.length; p++) {
            RecordShape.Part part = parts.get(p);
            switch (part.kind()) {
                case MANY -> args[p] = Many.notLoaded();
                case REF -> {
                    Object id = rs.getObject(columnOf[p]);
                    args[p] = id == null ? null : Ref.to(normalizeId(id));
                }
                case VALUE -> {
                    Object value = ValueConversion.toJava(rs.getObject(columnOf[p]), part.type());
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
        while (rs.next()) {
            out.add(map(rs));
        }
        return out;
    }
}
