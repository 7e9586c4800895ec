package dev.covet.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Dialect-specific pieces of generated SQL. Identifiers reaching here were checked by {@code Names}. */
final class SqlText {
    private SqlText() { }

    static String quote(Dialect d, String identifier) {
        return d.mysqlFamily() ? "`" + identifier + "`" : "\"" + identifier + "\"";
    }

    /**
     * {@code column IN (values)} with ONE bound parameter whatever the number of values: an array on
     * PostgreSQL, a JSON array unpacked by {@code json_each} on SQLite and by {@code JSON_TABLE} on
     * MariaDB and MySQL. So a prefetch is one statement of one shape for 10 or 100,000 keys, never a statement
     * per chunk, and never past a driver's parameter limit.
     */
    static void inList(Dialect d, String quotedColumn, Collection<?> values, StringBuilder sql, List<Object> params) {
        if (values.isEmpty()) {
            sql.append("1 = 0");
            return;
        }
        boolean integral = values.stream().allMatch(v -> v instanceof Long || v instanceof Integer || v instanceof Short);
        switch (d) {
            case POSTGRESQL -> {
                sql.append(quotedColumn).append(" = ANY(?)");
                params.add(integral ? values.stream().map(v -> ((Number) v).longValue()).toArray(Long[]::new)
                        : values.stream().allMatch(v -> v instanceof UUID) ? values.toArray(UUID[]::new)
                        : values.stream().map(SqlText::text).toArray(String[]::new));
            }
            case SQLITE -> {
                sql.append(quotedColumn).append(" IN (SELECT value FROM json_each(?))");
                params.add(json(values, integral));
            }
            case MARIADB, MYSQL -> {
                sql.append(quotedColumn).append(" IN (SELECT covet_v FROM JSON_TABLE(?, '$[*]' COLUMNS (covet_v ")
                        .append(integral ? "BIGINT" : "VARCHAR(255)").append(" PATH '$')) AS covet_in)");
                params.add(json(values, integral));
            }
        }
    }

    private static String text(Object v) {
        return v instanceof Enum<?> e ? e.name() : String.valueOf(v);
    }

    private static String json(Collection<?> values, boolean integral) {
        StringBuilder out = new StringBuilder(values.size() * 8).append('[');
        for (Object v : values) {
            if (out.length() > 1) {
                out.append(',');
            }
            if (integral) {
                out.append(((Number) v).longValue());
            } else {
                out.append('"');
                for (char c : text(v).toCharArray()) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        default -> {
                            if (c < 0x20) {
                                out.append(String.format("\\u%04x", (int) c));
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
                out.append('"');
            }
        }
        return out.append(']').toString();
    }

    static List<Object> newParams() {
        return new ArrayList<>();
    }
}
