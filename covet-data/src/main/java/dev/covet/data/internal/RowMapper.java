package dev.covet.data.internal;

import dev.covet.data.Many;
import dev.covet.data.Ref;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sqlite.core.CoreResultSet;

/**
 * Maps the rows of one result set to records (or, for a non-record type, the first column to that
 * type). The column order is resolved once per column layout; each row then costs one constructor call.
 *
 * <p>Two ways in. {@link #map(Row)} takes the row as boxed values (the pipelined PostgreSQL client's rows
 * are boxed already) and converts each with {@link ValueConversion}: the <em>boxed path</em>.
 * {@link #map(ResultSet)} calls one method handle built per record type and column layout: the record's
 * constructor with each argument read straight from the result set, so a primitive component costs a
 * typed getter ({@code getLong}, ...) where the boxed path costs {@code getObject} (on SQLite one more
 * native call, for the value's type), a box and a slot in an {@code Object[]}. Other components take the
 * boxed path inside the handle.
 *
 * <p>The caveat: a typed getter answers for every value, also for those the boxed path converts otherwise
 * or refuses. So it is used only where it gives the boxed path's answer ({@link #typedReader}):
 * <ul>
 *   <li>An ambiguous answer is read again the boxed way: 0 or {@code false} (what a getter returns for
 *       NULL, and what SQLite makes of text that is no number), or a number outside a narrower
 *       component's range (the boxed path saturates a double there, where narrowing the long would
 *       wrap). So NULL into a primitive still fails naming the column.
 *   <li>Where columns have types (PostgreSQL, MariaDB, MySQL), only for the column types whose getter
 *       equals {@code getObject} plus the conversion: signed integers into integral components and
 *       booleans, BOOLEAN/BIT into booleans, DOUBLE into doubles, REAL into floats.
 *   <li>SQLite types values, not columns, so its column types say nothing; its getters convert whatever
 *       is stored ({@code sqlite3_column_int64}/{@code _double}), and integral components, booleans and
 *       doubles read through them. What differs from the boxed path is only for text stored in such a
 *       column that starts with a number other than 0: {@code '12abc'} or {@code ' 12'} reads as 12 where
 *       the boxed path fails, {@code '2'} into a boolean is {@code true} where it was {@code false}.
 * </ul>
 */
public final class RowMapper<T> {
    /** The column type recorded for SQLite, whose values carry their own type. */
    private static final int TYPED_PER_VALUE = Integer.MIN_VALUE;
    /** Layouts kept per record type; past this, another layout's mapper is built per result (the last one is reused). */
    private static final int MAX_LAYOUTS = 64;

    private final Class<T> type;
    private final RecordShape<T> shape;
    private final int[] columnOf;
    private final String[] labels;
    /** The JDBC type of each column, or null for a mapper of boxed rows. */
    private final int[] columnTypes;
    /** (ResultSet)Object: the record of the current row; null for a mapper of boxed rows. */
    private final MethodHandle fromResultSet;

    private RowMapper(Class<T> type, RecordShape<T> shape, int[] columnOf, String[] labels, int[] columnTypes) {
        this.type = type;
        this.shape = shape;
        this.columnOf = columnOf;
        this.labels = labels;
        this.columnTypes = columnTypes;
        this.fromResultSet = columnTypes == null ? null : recordReader();
    }

    /** One row's values by column number (1-based), as a JDBC driver would return them from {@code getObject}. */
    @FunctionalInterface
    public interface Row {
        Object get(int column) throws SQLException;
    }

    /** @throws IllegalArgumentException naming a component the result has no column for */
    public static <T> RowMapper<T> forResult(Class<T> type, ResultSet rs) throws SQLException {
        if (!type.isRecord()) {
            return new RowMapper<>(type, null, null, null, null);
        }
        boolean sqlite = rs.isWrapperFor(CoreResultSet.class);
        // SQLite: the driver read the column names when it ran the statement; getColumnLabel would ask the
        // native library again, one call per column and result (about 5% of a get by id in a profile)
        String[] labels = sqlite ? rs.unwrap(CoreResultSet.class).cols : null;
        ResultSetMetaData meta = sqlite && labels != null ? null : rs.getMetaData();
        if (meta != null) {
            labels = new String[meta.getColumnCount()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = meta.getColumnLabel(i + 1);
            }
        }
        int[] types = new int[labels.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = sqlite ? TYPED_PER_VALUE : jdbcType(meta, i + 1);
        }
        return forLayout(type, labels, types);
    }

    /** The column's JDBC type; an unsigned BIGINT, whose values can pass Long.MAX_VALUE, as NUMERIC. */
    private static int jdbcType(ResultSetMetaData meta, int column) throws SQLException {
        int t = meta.getColumnType(column);
        return t == Types.BIGINT && !meta.isSigned(column) ? Types.NUMERIC : t;
    }

    /**
     * The mapper for boxed rows whose columns have these labels, in order (for clients other than JDBC).
     *
     * @throws IllegalArgumentException naming a component the result has no column for
     */
    public static <T> RowMapper<T> forLabels(Class<T> type, String[] labels) {
        if (!type.isRecord()) {
            return new RowMapper<>(type, null, null, null, null);
        }
        return forLayout(type, labels, null);
    }

    private static <T> RowMapper<T> forLayout(Class<T> type, String[] labels, int[] columnTypes) {
        RecordShape<T> shape = RecordShape.of(type);
        RowMapper<T> last = shape.lastMapper;
        if (last != null && Arrays.equals(last.labels, labels) && Arrays.equals(last.columnTypes, columnTypes)) {
            return last; // same columns as last time: the matching below would give the same answer
        }
        String key = String.join("\u0000", labels) + Arrays.toString(columnTypes);
        RowMapper<T> mapper = shape.mappers.get(key);
        if (mapper == null) {
            mapper = new RowMapper<>(type, shape, columnsOf(shape, labels), labels.clone(), columnTypes);
            if (shape.mappers.size() < MAX_LAYOUTS) {
                shape.mappers.putIfAbsent(key, mapper);
            }
        }
        shape.lastMapper = mapper;
        return mapper;
    }

    /** For each component, its column number (-1 for a {@link Many}). */
    private static int[] columnsOf(RecordShape<?> shape, String[] labels) {
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
                throw new IllegalArgumentException("The result has no column for " + shape.type().getSimpleName() + "."
                        + part.name() + " (looked for '" + part.column() + "'; columns: " + List.of(labels) + ")");
            }
        }
        return columnOf;
    }

    /** The current row's record (or, for a non-record type, its first column as that type). */
    @SuppressWarnings("unchecked")
    public T map(ResultSet rs) throws SQLException {
        if (fromResultSet == null) {
            return map(rs::getObject);
        }
        try {
            return (T) (Object) fromResultSet.invokeExact(rs);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot construct " + type.getSimpleName(), e);
        }
    }

    /** The row's record (or, for a non-record type, its first column as that type). */
    public T map(Row row) throws SQLException {
        if (shape == null) {
            return type.cast(ValueConversion.toJava(row.get(1), type));
        }
        Object[] args = new Object[columnOf.length];
        for (int p = 0; p < args.length; p++) {
            args[p] = boxed(p, columnOf[p] < 0 ? null : row.get(columnOf[p]));
        }
        return shape.construct(args);
    }

    /** Component {@code p}'s value from its column's value as {@code getObject} returns it (the boxed path). */
    private Object boxed(int p, Object raw) {
        RecordShape.Part part = shape.parts().get(p);
        return switch (part.kind()) {
            case MANY -> Many.notLoaded();
            case REF -> raw == null ? null : Ref.to(normalizeId(raw));
            case VALUE -> {
                Object value = ValueConversion.toJava(raw, part.type());
                if (value == null && part.type().isPrimitive()) {
                    throw new IllegalStateException("Column '" + part.column() + "' is NULL but "
                            + type.getSimpleName() + "." + part.name() + " is a " + part.type());
                }
                yield value;
            }
        };
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

    // ---- the handle that reads a record from a result set ----------------------------------------------

    /** The constructor with argument {@code p} filtered by component p's reader, all readers given the one ResultSet. */
    private MethodHandle recordReader() {
        List<RecordShape.Part> parts = shape.parts();
        MethodHandle[] readers = new MethodHandle[parts.size()];
        for (int p = 0; p < readers.length; p++) {
            RecordShape.Part part = parts.get(p);
            MethodHandle typed = part.kind() == RecordShape.Kind.VALUE
                    ? typedReader(part.type(), columnTypes[columnOf[p] - 1]) : null;
            readers[p] = MethodHandles.insertArguments(typed == null ? READ_BOXED : typed, 0, this, p)
                    .asType(MethodType.methodType(part.type(), ResultSet.class));
        }
        MethodHandle constructor = shape.constructor();
        MethodHandle filtered = MethodHandles.filterArguments(constructor, 0, readers);
        MethodHandle oneResultSet = MethodHandles.permuteArguments(filtered,
                MethodType.methodType(constructor.type().returnType(), ResultSet.class), new int[readers.length]);
        return oneResultSet.asType(MethodType.methodType(Object.class, ResultSet.class));
    }

    /**
     * The typed reader, {@code (RowMapper, int component, ResultSet)}, for a component of this type from a
     * column of this JDBC type, or null for the boxed path. Each pairing is one where the getter gives what
     * {@code getObject} plus {@link ValueConversion} gives (see the class comment).
     */
    static MethodHandle typedReader(Class<?> component, int columnType) {
        boolean perValue = columnType == TYPED_PER_VALUE;
        boolean integer = perValue || columnType == Types.TINYINT || columnType == Types.SMALLINT
                || columnType == Types.INTEGER || columnType == Types.BIGINT;
        if (component == boolean.class) {
            return integer ? READ_BOOLEAN_FROM_LONG
                    : columnType == Types.BOOLEAN || columnType == Types.BIT ? READ_BOOLEAN : null;
        }
        if (component == double.class) {
            return perValue || columnType == Types.DOUBLE ? READ_DOUBLE : null;
        }
        if (component == float.class) {
            // not on SQLite: its getFloat narrows a double, where the boxed path narrows the Long itself
            return columnType == Types.REAL ? READ_FLOAT : null;
        }
        return integer ? INTEGRAL_READERS.get(component) : null;
    }

    private static Object readBoxed(RowMapper<?> m, int p, ResultSet rs) throws SQLException {
        int column = m.columnOf[p];
        return m.boxed(p, column < 0 ? null : rs.getObject(column));
    }

    private static long readLong(RowMapper<?> m, int p, ResultSet rs) throws SQLException {
        long v = rs.getLong(m.columnOf[p]);
        return v != 0 ? v : (Long) readBoxed(m, p, rs);
    }

    private static int readInt(RowMapper<?> m, int p, ResultSet rs) throws SQLException {
        long v = rs.getLong(m.columnOf[p]);
        return v != 0 && v == (int) v ? (int) v : (Integer) readBoxed(m, p, rs);
    }

    private static short readShort(RowMapper<?> m, int p, ResultSet rs) throws SQLException {
        long v = rs.getLong(m.columnOf[p]);
        return v != 0 && v == (short) v ? (short) v : (Short) readBoxed(m, p, rs);
    }

    private static byte readByte(RowMapper<?> m, int p, ResultSet rs) throws SQLException {
        long v = rs.getLong(m.columnOf[p]);
        return v != 0 && v == (byte) v ? (byte) v : (Byte) readBoxed(m, p, rs);
    }

    private static boolean readBooleanFromLong(RowMapper<?> m, int p, ResultSet rs) throws SQLException {
        long v = rs.getLong(m.columnOf[p]);
        return (int) v != 0 || (Boolean) readBoxed(m, p, rs); // the boxed path takes the int value too
    }

    private static boolean readBoolean(RowMapper<?> m, int p, ResultSet rs) throws SQLException {
        return rs.getBoolean(m.columnOf[p]) || (Boolean) readBoxed(m, p, rs);
    }

    private static double readDouble(RowMapper<?> m, int p, ResultSet rs) throws SQLException {
        double v = rs.getDouble(m.columnOf[p]);
        return v != 0 ? v : (Double) readBoxed(m, p, rs);
    }

    private static float readFloat(RowMapper<?> m, int p, ResultSet rs) throws SQLException {
        float v = rs.getFloat(m.columnOf[p]);
        return v != 0 ? v : (Float) readBoxed(m, p, rs);
    }

    private static final MethodHandle READ_BOXED = reader("readBoxed", Object.class);
    private static final MethodHandle READ_BOOLEAN = reader("readBoolean", boolean.class);
    private static final MethodHandle READ_BOOLEAN_FROM_LONG = reader("readBooleanFromLong", boolean.class);
    private static final MethodHandle READ_DOUBLE = reader("readDouble", double.class);
    private static final MethodHandle READ_FLOAT = reader("readFloat", float.class);
    private static final Map<Class<?>, MethodHandle> INTEGRAL_READERS = Map.of(
            long.class, reader("readLong", long.class), int.class, reader("readInt", int.class),
            short.class, reader("readShort", short.class), byte.class, reader("readByte", byte.class));

    private static MethodHandle reader(String name, Class<?> returns) {
        try {
            return MethodHandles.lookup().findStatic(RowMapper.class, name,
                    MethodType.methodType(returns, RowMapper.class, int.class, ResultSet.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
