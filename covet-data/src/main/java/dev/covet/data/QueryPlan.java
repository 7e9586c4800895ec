package dev.covet.data;

import dev.covet.data.internal.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's plan for a statement, for tests: {@code QueryPlan.of(db, sql, params).assertNoFullScan(1000)}
 * fails when the statement would read a table of at least 1000 rows from end to end (a missing index).
 * Reads {@code EXPLAIN QUERY PLAN} on SQLite ({@code SCAN t}), {@code EXPLAIN} on PostgreSQL
 * ({@code Seq Scan on t}) and MariaDB ({@code type = ALL}).
 */
public final class QueryPlan {
    private static final Pattern SQLITE_SCAN = Pattern.compile("^SCAN (\\w+)");
    private static final Pattern PG_SCAN = Pattern.compile("Seq Scan on (\\w+)");

    private final Database db;
    private final String text;
    private final List<String> fullScans;

    private QueryPlan(Database db, String text, List<String> fullScans) {
        this.db = db;
        this.text = text;
        this.fullScans = fullScans;
    }

    /** Explains {@code sql} with these parameters (the statement is planned, not run). */
    public static QueryPlan of(Database db, String sql, Object... params) {
        List<String> scans = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        switch (db.dialect()) {
            case SQLITE -> {
                for (Map<?, ?> row : rows(db, "EXPLAIN QUERY PLAN " + sql, params)) {
                    String detail = String.valueOf(value(row, "detail"));
                    text.append(detail).append('\n');
                    Matcher m = SQLITE_SCAN.matcher(detail);
                    if (m.find()) {
                        scans.add(m.group(1));
                    }
                }
            }
            case POSTGRESQL -> {
                for (String line : db.query("EXPLAIN " + sql, String.class, params)) {
                    text.append(line).append('\n');
                    Matcher m = PG_SCAN.matcher(line);
                    if (m.find()) {
                        scans.add(m.group(1));
                    }
                }
            }
            case MARIADB, MYSQL -> {
                for (Map<?, ?> row : rows(db, "EXPLAIN " + sql, params)) {
                    text.append(row).append('\n');
                    if ("ALL".equals(String.valueOf(value(row, "type")))) {
                        scans.add(String.valueOf(value(row, "table")));
                    }
                }
            }
        }
        return new QueryPlan(db, text.toString(), List.copyOf(scans));
    }

    private static List<Map<String, Object>> rows(Database db, String sql, Object[] params) {
        return db.run(false, sql, c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            try (var ps = db.prepare(c, sql, params); var rs = ps.executeQuery()) {
                var meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        });
    }

    private static Object value(Map<?, ?> row, String key) {
        return row.get(key);
    }

    /** The plan as the database printed it. */
    public String text() {
        return text;
    }

    /** Tables the plan reads in full. */
    public List<String> fullScans() {
        return fullScans;
    }

    /**
     * @throws AssertionError naming the table, its size and the plan, if the statement reads in full a
     *     table of at least {@code minRows} rows
     */
    public QueryPlan assertNoFullScan(long minRows) {
        for (String table : fullScans) {
            if (!Names.IDENTIFIER.matcher(table).matches()) {
                continue; // derived tables (subqueries, JSON_TABLE) have no rows of their own to count
            }
            long rows = db.queryOne("SELECT COUNT(*) FROM " + SqlText.quote(db.dialect(), table), Long.class).orElse(0L);
            if (rows >= minRows) {
                throw new AssertionError("Full scan of table " + table + " (" + rows + " rows); add an index. Plan:\n" + text);
            }
        }
        return this;
    }
}
