package dev.covet.data.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Converts what a driver returns into the Java type a record component declares, and Java values into
 * what every driver accepts. The drivers differ (SQLite returns integers for booleans and epoch
 * milliseconds for timestamps; MariaDB returns {@code Long} for BIGINT and {@code Boolean} for
 * TINYINT(1)), so the conversion is by value, not by column type.
 */
public final class ValueConversion {
    private ValueConversion() { }

    /** {@code raw} as {@code target}; {@code null} stays {@code null}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object toJava(Object raw, Class<?> target) {
        if (raw == null) {
            return null;
        }
        Class<?> t = target.isPrimitive() ? boxed(target) : target;
        if (t.isInstance(raw)) {
            return raw;
        }
        if (raw instanceof Number n) {
            if (t == Integer.class) return n.intValue();
            if (t == Long.class) return n.longValue();
            if (t == Double.class) return n.doubleValue();
            if (t == Float.class) return n.floatValue();
            if (t == Short.class) return n.shortValue();
            if (t == Byte.class) return n.byteValue();
            if (t == Boolean.class) return n.intValue() != 0;
            if (t == BigDecimal.class) return n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            if (t == BigInteger.class) return new BigInteger(n.toString());
            if (t == Instant.class) return Instant.ofEpochMilli(n.longValue());
            if (t == String.class) return n.toString();
        }
        if (raw instanceof Boolean b) {
            if (t == Integer.class) return b ? 1 : 0;
            if (t == String.class) return b.toString();
        }
        if (raw instanceof Timestamp ts) {
            if (t == Instant.class) return ts.toInstant();
            if (t == LocalDateTime.class) return ts.toLocalDateTime();
            if (t == LocalDate.class) return ts.toLocalDateTime().toLocalDate();
        }
        if (raw instanceof java.sql.Date d && t == LocalDate.class) return d.toLocalDate();
        if (raw instanceof OffsetDateTime o && t == Instant.class) return o.toInstant();
        if (raw instanceof LocalDateTime l && t == Instant.class) return l.toInstant(ZoneOffset.UTC);
        if (raw instanceof String s) {
            if (t == UUID.class) return UUID.fromString(s);
            if (t.isEnum()) return Enum.valueOf((Class<Enum>) t, s);
            if (t == BigDecimal.class) return new BigDecimal(s);
            if (t == Long.class) return Long.parseLong(s);
            if (t == Integer.class) return Integer.parseInt(s);
            if (t == Double.class) return Double.parseDouble(s);
            if (t == LocalDate.class) return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
            if (t == LocalDateTime.class) return LocalDateTime.parse(s.replace(' ', 'T'));
            if (t == Instant.class) return Instant.parse(s.contains("T") ? s : s.replace(' ', 'T') + "Z");
            if (t == Boolean.class) return s.equals("1") || s.equalsIgnoreCase("true");
        }
        if (t == String.class) {
            return raw.toString();
        }
        if (raw instanceof UUID u && t == String.class) return u.toString();
        throw new IllegalArgumentException("Cannot convert " + raw.getClass().getSimpleName() + " '" + raw + "' to "
                + target.getSimpleName());
    }

    /**
     * {@code value} in a form every driver binds: instants as {@link Timestamp}, enums by name, UUIDs
     * natively on PostgreSQL and as text elsewhere, dates as ISO text on SQLite (so they sort).
     */
    public static Object toJdbc(Object value, boolean postgres, boolean sqlite) {
        return switch (value) {
            case null -> null;
            case Instant i -> Timestamp.from(i);
            case Enum<?> e -> e.name();
            case UUID u -> postgres ? u : u.toString();
            case LocalDate d -> sqlite ? d.toString() : d;
            case LocalDateTime d -> sqlite ? d.toString() : d;
            case dev.covet.data.Ref<?> r -> toJdbc(r.id(), postgres, sqlite);
            default -> value;
        };
    }

    public static Class<?> boxed(Class<?> c) {
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == double.class) return Double.class;
        if (c == boolean.class) return Boolean.class;
        if (c == float.class) return Float.class;
        if (c == short.class) return Short.class;
        if (c == byte.class) return Byte.class;
        if (c == char.class) return Character.class;
        return c;
    }
}
