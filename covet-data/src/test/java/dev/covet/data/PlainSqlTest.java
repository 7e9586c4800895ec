package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlainSqlTest {

    record World(int id, int randomNumber) { }

    record Event(long id, String title, boolean done, BigDecimal price, Instant at, LocalDate day, UUID ref) { }

    private static void createWorld(Database db) {
        db.update("CREATE TABLE world (id INTEGER PRIMARY KEY, random_number INTEGER NOT NULL)");
        db.batch("INSERT INTO world (id, random_number) VALUES (?, ?)",
                List.of(List.of(1, 100), List.of(2, 200), List.of(3, 300)));
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void rowsMapToRecordsBySnakeCaseColumnNames(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            assertThat(t.db.query("SELECT id, random_number FROM world ORDER BY id", World.class))
                    .containsExactly(new World(1, 100), new World(2, 200), new World(3, 300));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void columnLabelsMatchIgnoringCaseAndUnderscores(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            assertThat(t.db.queryOne("SELECT id, random_number AS randomNumber FROM world WHERE id = ?", World.class, 2))
                    .contains(new World(2, 200));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void queryOneIsEmptyWithoutRowsAndRefusesTwo(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            assertThat(t.db.queryOne("SELECT id, random_number FROM world WHERE id = ?", World.class, 99)).isEmpty();
            assertThatThrownBy(() -> t.db.queryOne("SELECT id, random_number FROM world", World.class))
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("at most one row");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void queryOneEachAnswersEveryLookupInOrderAndCountsEachAsAStatement(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            String sql = "SELECT id, random_number FROM world WHERE id = ?";
            List<List<Integer>> ids = List.of(List.of(3), List.of(99), List.of(1), List.of(3));
            QueryStats stats = QueryStats.measure(() -> assertThat(t.db.queryOneEach(sql, World.class, ids))
                    .containsExactly(Optional.of(new World(3, 300)), Optional.empty(), Optional.of(new World(1, 100)),
                            Optional.of(new World(3, 300))));
            assertThat(stats.statementCount()).isEqualTo(4);
            assertThat(stats.countsByStatement()).containsEntry(sql, 4);
            assertThat(t.db.queryOneEach(sql, World.class, List.of())).isEmpty();
            // inside a transaction the lookups see its uncommitted writes
            t.db.inTransaction(tx -> {
                tx.update("UPDATE world SET random_number = ? WHERE id = ?", 7, 2);
                assertThat(tx.queryOneEach(sql, World.class, List.of(List.of(2)))).containsExactly(Optional.of(new World(2, 7)));
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("roll back");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void queryOneEachRefusesALookupWithTwoRowsAndReportsAFailedStatement(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            assertThatThrownBy(() -> t.db.queryOneEach("SELECT id, random_number FROM world WHERE id > ?", World.class,
                    List.of(List.of(2), List.of(0)))).isInstanceOf(DataAccessException.class).hasMessageContaining("at most one row");
            assertThatThrownBy(() -> t.db.queryOneEach("SELECT id, random_number FROM no_such_table WHERE id = ?", World.class,
                    List.of(List.of(1), List.of(2)))).isInstanceOf(DataAccessException.class).hasMessageContaining("no_such_table");
            // the connections are still good afterwards
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM world", Long.class)).contains(3L);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void theSameRecordFromColumnsInAnotherOrderMapsByLabelEachTime(Vendor vendor) {
        // the mapper of the last result is reused only when the labels are the same (RowMapper.forLabels)
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            for (int i = 0; i < 2; i++) {
                assertThat(t.db.queryOne("SELECT id, random_number FROM world WHERE id = ?", World.class, 2))
                        .contains(new World(2, 200));
                assertThat(t.db.queryOne("SELECT random_number, id FROM world WHERE id = ?", World.class, 2))
                        .contains(new World(2, 200));
                assertThat(t.db.queryOne("SELECT random_number AS id, id AS random_number FROM world WHERE id = ?",
                        World.class, 2)).contains(new World(200, 2));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void scalarTypesTakeTheFirstColumn(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM world", Long.class)).contains(3L);
            assertThat(t.db.query("SELECT random_number FROM world ORDER BY id", Integer.class)).containsExactly(100, 200, 300);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void updateReturnsTheChangedRowCount(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            assertThat(t.db.update("UPDATE world SET random_number = ? WHERE id > ?", 7, 1)).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void parametersAreBoundSoInjectionIsJustAString(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            t.db.update("CREATE TABLE note (id INTEGER PRIMARY KEY, body VARCHAR(200))");
            String evil = "x'); DROP TABLE world; --";
            t.db.update("INSERT INTO note (id, body) VALUES (?, ?)", 1, evil);
            assertThat(t.db.queryOne("SELECT body FROM note WHERE id = ?", String.class, 1)).contains(evil);
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM world", Long.class)).contains(3L);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void commonJavaTypesRoundTrip(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            String ts = switch (vendor) {
                case SQLITE -> "INTEGER";
                case POSTGRESQL, POSTGRESQL_PIPELINED -> "TIMESTAMP WITH TIME ZONE";
                case MARIADB, MYSQL -> "DATETIME(6)";
            };
            String uuid = vendor.postgres() ? "UUID" : "CHAR(36)";
            t.db.update("CREATE TABLE event (id BIGINT PRIMARY KEY, title VARCHAR(100), done BOOLEAN, price DECIMAL(10, 2), at "
                    + ts + ", day DATE, ref " + uuid + ")");
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Event e = new Event(1, "Ünïcødé ✓", true, new BigDecimal("12.50"), at, LocalDate.of(2025, 3, 1), UUID.randomUUID());
            t.db.update("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?)", e.id(), e.title(), e.done(), e.price(), e.at(),
                    e.day(), e.ref());
            Event back = t.db.queryOne("SELECT * FROM event", Event.class).orElseThrow();
            assertThat(back.title()).isEqualTo(e.title());
            assertThat(back.done()).isTrue();
            assertThat(back.price()).isEqualByComparingTo("12.50");
            // MySQL Connector/J drops the fraction of a bound timestamp here (the server stores .000000; a
            // literal keeps it): it sees MariaDB 10.11's version as "5.5.5-10.11..." and MySQL before 5.6.4
            // had no fractional seconds. An artefact of MariaDB behind mysql://, documented in docs/data.md.
            assertThat(back.at()).isEqualTo(vendor == Vendor.MYSQL ? at.truncatedTo(ChronoUnit.SECONDS) : at);
            assertThat(back.day()).isEqualTo(e.day());
            assertThat(back.ref()).isEqualTo(e.ref());
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aMissingColumnIsNamedInTheError(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            assertThatThrownBy(() -> t.db.query("SELECT id FROM world", World.class))
                    .hasMessageContaining("World.randomNumber");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFailedStatementIsADataAccessExceptionWithItsErrorCode(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            assertThatThrownBy(() -> t.db.update("INSERT INTO world (id, random_number) VALUES (?, ?)", 1, 1))
                    .isInstanceOfSatisfying(DataAccessException.class,
                            e -> assertThat(e.sqlState().isPresent() || e.errorCode() != 0).isTrue());
        }
    }
}
