package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class QueryPlanTest {

    private static void createWorld(Database db, Vendor vendor) {
        db.update("CREATE TABLE world (id INTEGER PRIMARY KEY, random_number INTEGER NOT NULL)");
        db.batch("INSERT INTO world (id, random_number) VALUES (?, ?)",
                IntStream.rangeClosed(1, 5_000).mapToObj(i -> List.of(i, i % 100)).toList());
        if (vendor == Vendor.MARIADB || vendor == Vendor.MYSQL) {
            db.query("ANALYZE TABLE world", String.class); // answers with a result set on MariaDB
        } else {
            db.update("ANALYZE");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFilterOnAnUnindexedColumnOfALargeTableFails(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db, vendor);
            assertThatThrownBy(() -> QueryPlan.of(t.db, "SELECT id FROM world WHERE random_number = ?", 5).assertNoFullScan(1_000))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("Full scan of table world (5000 rows)");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aLookupByPrimaryKeyPasses(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db, vendor);
            QueryPlan plan = QueryPlan.of(t.db, "SELECT random_number FROM world WHERE id = ?", 5).assertNoFullScan(1_000);
            assertThat(plan.fullScans()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFullScanOfASmallTableIsAllowed(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db, vendor);
            QueryPlan.of(t.db, "SELECT id FROM world WHERE random_number = ?", 5).assertNoFullScan(10_000);
        }
    }
}
