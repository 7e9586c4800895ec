package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.covet.data.MigrationStatus.State;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationsTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void classpathMigrationsApplyOnceAndAreRememberedOnTheNextRun(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            assertThat(Migrations.run(t.db)).isEqualTo(2);
            assertThat(Migrations.run(t.db)).isZero();
            assertThat(t.db.queryOne("SELECT SUM(random_number) FROM world", Long.class)).contains(30L);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void migrationsCanComeFromADirectory(Vendor vendor, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__note.sql"), "CREATE TABLE note (id INTEGER PRIMARY KEY);");
        try (TestDatabase t = TestDatabase.create(vendor)) {
            assertThat(Migrations.locations(dir.toString()).migrate(t.db)).isEqualTo(1);
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM note", Long.class)).contains(0L);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aBrokenMigrationFailsWithTheFlywayMessage(Vendor vendor, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__broken.sql"), "CREATE TABLE (;");
        try (TestDatabase t = TestDatabase.create(vendor)) {
            assertThatThrownBy(() -> Migrations.locations(dir.toString()).migrate(t.db))
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("V1__broken.sql");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void statusListsPendingThenAppliedAndChangesNothing(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Migrations m = Migrations.locations(Migrations.DEFAULT_LOCATION);
            assertThat(m.status(t.db)).extracting(MigrationStatus::version, MigrationStatus::description,
                    MigrationStatus::script, MigrationStatus::state, MigrationStatus::appliedAt)
                    .containsExactly(
                            tuple("1", "create world", "V1__create_world.sql", State.PENDING, Optional.empty()),
                            tuple("2", "seed world", "V2__seed_world.sql", State.PENDING, Optional.empty()));
            assertThat(t.hasTable("flyway_schema_history")).as("status must not create the history table").isFalse();

            Instant before = Instant.now().minusSeconds(60);
            assertThat(m.applyPending(t.db)).extracting(MigrationStatus::version, MigrationStatus::script,
                    MigrationStatus::state).containsExactly(tuple("1", "V1__create_world.sql", State.APPLIED),
                    tuple("2", "V2__seed_world.sql", State.APPLIED));
            assertThat(m.applyPending(t.db)).isEmpty();

            List<MigrationStatus> after = m.status(t.db);
            assertThat(after).extracting(MigrationStatus::state).containsExactly(State.APPLIED, State.APPLIED);
            assertThat(after).allSatisfy(s -> {
                assertThat(s.appliedAt()).hasValueSatisfying(at -> assertThat(at).isAfter(before));
                assertThat(s.took()).isPresent();
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void statusShowsAChangedFileAndAMissingOneAndMigrateRefusesTheChange(Vendor vendor, @TempDir Path dir)
            throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Migrations m = oneAndTwoApplied(dir, t);
            Files.writeString(dir.resolve("V1__one.sql"), "CREATE TABLE one_t (id INTEGER PRIMARY KEY, x INTEGER);");
            Files.delete(dir.resolve("V2__two.sql"));

            assertThat(m.status(t.db)).extracting(MigrationStatus::version, MigrationStatus::state)
                    .containsExactly(tuple("1", State.CHANGED), tuple("2", State.MISSING_FILE));
            assertThatThrownBy(() -> m.migrate(t.db)).isInstanceOf(DataAccessException.class)
                    .hasMessageContaining("checksum mismatch");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void repairRealignsAChangedFileAndMarksAMissingOneDeletedAndRunsNothing(Vendor vendor, @TempDir Path dir)
            throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Migrations m = oneAndTwoApplied(dir, t);
            Files.delete(dir.resolve("V1__one.sql"));
            Files.writeString(dir.resolve("V2__two.sql"), "CREATE TABLE two_t (id INTEGER PRIMARY KEY, x INTEGER);");
            assertThatThrownBy(() -> m.migrate(t.db)).isInstanceOf(DataAccessException.class);

            assertThat(m.repair(t.db)).extracting(MigrationStatus::version, MigrationStatus::script,
                    MigrationStatus::state).containsExactly(tuple("2", "V2__two.sql", State.CHANGED),
                    tuple("1", "V1__one.sql", State.MISSING_FILE));
            assertThat(m.status(t.db)).extracting(MigrationStatus::version, MigrationStatus::state)
                    .containsExactly(tuple("1", State.DELETED), tuple("2", State.APPLIED));
            assertThat(m.repair(t.db)).as("a second repair finds nothing to do").isEmpty();
            Files.writeString(dir.resolve("V3__three.sql"), "CREATE TABLE three_t (id INTEGER PRIMARY KEY);");
            assertThat(m.migrate(t.db)).isEqualTo(1);
            // nothing ran again: two_t has no column x, and one_t is still there
            assertThatThrownBy(() -> t.db.queryOne("SELECT x FROM two_t", Long.class))
                    .isInstanceOf(DataAccessException.class);
            assertThat(t.hasTable("one_t")).isTrue();
        }
    }

    /** {@code V1__one.sql} and {@code V2__two.sql} written to {@code dir}, both applied to {@code t}. */
    private static Migrations oneAndTwoApplied(Path dir, TestDatabase t) throws IOException {
        Files.writeString(dir.resolve("V1__one.sql"), "CREATE TABLE one_t (id INTEGER PRIMARY KEY);");
        Files.writeString(dir.resolve("V2__two.sql"), "CREATE TABLE two_t (id INTEGER PRIMARY KEY);");
        Migrations m = Migrations.locations(dir.toString());
        assertThat(m.migrate(t.db)).isEqualTo(2);
        return m;
    }

    @Test
    void aFailedMigrationOnMariaDbStaysInTheHistoryAsFailedUntilRepaired(@TempDir Path dir) throws Exception {
        // MariaDB cannot roll DDL back, so Flyway records the failure; PostgreSQL rolls it back and records nothing.
        Files.writeString(dir.resolve("V1__half.sql"), "CREATE TABLE half_t (id INTEGER PRIMARY KEY);\nCREATE TABLE (;");
        try (TestDatabase t = TestDatabase.create(Vendor.MARIADB)) {
            Migrations m = Migrations.locations(dir.toString());
            assertThatThrownBy(() -> m.migrate(t.db)).isInstanceOf(DataAccessException.class);
            assertThat(m.status(t.db)).extracting(MigrationStatus::version, MigrationStatus::state)
                    .containsExactly(tuple("1", State.FAILED));

            // repair removes the failed entry; what ran before the failure stays until undone by hand
            assertThat(m.repair(t.db)).extracting(MigrationStatus::version, MigrationStatus::state)
                    .containsExactly(tuple("1", State.FAILED));
            assertThat(m.status(t.db)).extracting(MigrationStatus::state).containsExactly(State.PENDING);
            assertThat(t.hasTable("half_t")).isTrue();
            t.db.update("DROP TABLE half_t");
            Files.writeString(dir.resolve("V1__half.sql"), "CREATE TABLE half_t (id INTEGER PRIMARY KEY);");
            assertThat(m.migrate(t.db)).isEqualTo(1);
        }
    }

    @Test
    void twoInstancesStartingAtOnceApplyEachMigrationOnlyOnce() throws Exception {
        try (TestDatabase t = TestDatabase.create(Vendor.POSTGRESQL);
             Database second = Database.builder().url(t.url).loadExternal(false).poolSize(2).build()) {
            assertThat(migrateAtOnce(Migrations.locations("classpath:db/slow"), t.db, second))
                    .containsExactlyInAnyOrder(1, 0);
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM applied_once", Long.class)).contains(1L);
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'", Long.class))
                    .contains(1L);
        }
    }

    @Test
    void twoInstancesOnOneSqliteFileApplyEachMigrationOnceAndBothSucceed(@TempDir Path dir) throws Exception {
        // a migration that holds SQLite's write lock for a moment (there is no sleep function)
        Files.writeString(dir.resolve("V1__slow.sql"), "CREATE TABLE applied_once (id INTEGER PRIMARY KEY);\n"
                + "INSERT INTO applied_once (id) VALUES (1);\n"
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) SELECT COUNT(*) FROM n;");
        try (TestDatabase t = TestDatabase.create(Vendor.SQLITE);
             Database second = Database.builder().url(t.url).loadExternal(false).poolSize(2).build()) {
            assertThat(migrateAtOnce(Migrations.locations(dir.toString()), t.db, second))
                    .containsExactlyInAnyOrder(1, 0);
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM applied_once", Long.class)).contains(1L);
        }
    }

    /** What each database's {@code migrate} applied, both started together on their own threads. */
    private static List<Integer> migrateAtOnce(Migrations migrations, Database... dbs) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(dbs.length);
        List<Integer> applied = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (Database db : dbs) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    applied.add(migrations.migrate(db));
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
        return applied;
    }
}
