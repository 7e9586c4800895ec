package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Records built from result rows: primitive components are read with typed getters on JDBC (see
 * {@code RowMapper}), and must come out as the boxed conversion gives them on every vendor, with the
 * edge values where the two could part: zero, false, NULL, a number wider than the component, integers
 * read as booleans (how SQLite stores them), text read as a boolean.
 */
class RowMappingTest {

    record Numbers(long big, int small, short tiny, byte octet, boolean flag, double ratio, float single) { }

    record Narrow(int big) { }

    record Flag(boolean flag) { }

    record Pair(long id, int n) { }

    static final String COLUMNS = "big, small, tiny, octet, flag, ratio, single";

    private static void createNumbers(Database db) {
        db.update("CREATE TABLE numbers (id INTEGER PRIMARY KEY, big BIGINT, small INTEGER, tiny SMALLINT, "
                + "octet SMALLINT, flag BOOLEAN, ratio DOUBLE PRECISION, single REAL, n INTEGER, label VARCHAR(20))");
    }

    private static void insert(Database db, int id, Object... values) {
        List<Object> params = new ArrayList<>(List.of(id));
        params.addAll(Arrays.asList(values));
        db.update("INSERT INTO numbers (id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", params.toArray());
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void primitiveComponentsReadTheirValuesIncludingZeroAndFalse(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createNumbers(t.db);
            insert(t.db, 1, 5_000_000_000L, -7, 300, -5, true, 0.25, 0.5f);
            insert(t.db, 2, 0L, 0, 0, 0, false, 0.0, 0.0f);
            assertThat(t.db.query("SELECT " + COLUMNS + " FROM numbers ORDER BY id", Numbers.class)).containsExactly(
                    new Numbers(5_000_000_000L, -7, (short) 300, (byte) -5, true, 0.25, 0.5f),
                    new Numbers(0, 0, (short) 0, (byte) 0, false, 0.0, 0.0f));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void nullIntoAPrimitiveComponentFailsNamingTheColumn(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createNumbers(t.db);
            Object[] values = {1L, 1, 1, 1, true, 1.0, 1.0f};
            String[] columns = COLUMNS.split(", ");
            for (int c = 0; c < columns.length; c++) {
                Object[] row = values.clone();
                row[c] = null;
                insert(t.db, 10 + c, row);
                int id = 10 + c;
                assertThatThrownBy(() -> t.db.queryOne("SELECT " + COLUMNS + " FROM numbers WHERE id = ?", Numbers.class, id))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("Column '" + columns[c] + "' is NULL but Numbers.");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aBigintIntoAnIntComponentNarrowsAsLongIntValueDoes(Vendor vendor) {
        assertThat(readBack(vendor, "big", "big", Narrow.class, 42L, 5_000_000_000L, 1L << 32))
                .containsExactly(new Narrow(42), new Narrow((int) 5_000_000_000L), new Narrow(0));
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aDoubleBeyondAnIntComponentSaturatesAsDoubleIntValueDoes(Vendor vendor) {
        assertThat(readBack(vendor, "ratio", "big", Narrow.class, 3e9, -2.75))
                .containsExactly(new Narrow(Integer.MAX_VALUE), new Narrow(-2));
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void integersIntoABooleanAreTrueWhenTheirIntValueIsNotZero(Vendor vendor) {
        // SQLite stores every boolean like this; elsewhere an integer column read as a boolean
        assertThat(readBack(vendor, "big", "flag", Flag.class, 0L, 1L, 2L, -1L, 1L << 32))
                .containsExactly(new Flag(false), new Flag(true), new Flag(true), new Flag(true), new Flag(false));
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void textIntoABooleanIsTrueOnlyForTrueAndOne(Vendor vendor) {
        assertThat(readBack(vendor, "label", "flag", Flag.class, "true", "1", "no", "0", "TRUE"))
                .containsExactly(new Flag(true), new Flag(true), new Flag(false), new Flag(false), new Flag(true));
    }

    /** {@code values} stored one per row in {@code column}, read back under {@code label} as {@code type}. */
    private static <R> List<R> readBack(Vendor vendor, String column, String label, Class<R> type, Object... values) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createNumbers(t.db);
            for (int i = 0; i < values.length; i++) {
                t.db.update("INSERT INTO numbers (id, " + column + ") VALUES (?, ?)", i + 1, values[i]);
            }
            return t.db.query("SELECT " + column + " AS " + label + " FROM numbers ORDER BY id", type);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void oneRecordTypeMapsResultsWhoseColumnsComeInDifferentOrdersAndTypes(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createNumbers(t.db);
            t.db.update("INSERT INTO numbers (id, n, ratio, flag) VALUES (?, ?, ?, ?)", 7, 70, 2.75, false);
            for (int round = 0; round < 3; round++) {
                assertThat(t.db.queryOne("SELECT id, n FROM numbers", Pair.class)).contains(new Pair(7, 70));
                assertThat(t.db.queryOne("SELECT n, id FROM numbers", Pair.class)).contains(new Pair(7, 70));
                // the same labels with another type behind n: a double, narrowed as Double.intValue does
                assertThat(t.db.queryOne("SELECT id, ratio AS n FROM numbers", Pair.class)).contains(new Pair(7, 2));
                assertThat(t.db.queryOne("SELECT n, id FROM numbers", Pair.class)).contains(new Pair(7, 70));
                // a boolean from a BOOLEAN column, then from an integer column under the same label
                assertThat(t.db.queryOne("SELECT flag FROM numbers", Flag.class)).contains(new Flag(false));
                assertThat(t.db.queryOne("SELECT n AS flag FROM numbers", Flag.class)).contains(new Flag(true));
            }
        }
    }
}
