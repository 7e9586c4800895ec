package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void twoInstancesStartingAtOnceApplyEachMigrationOnlyOnce() throws Exception {
        try (TestDatabase t = TestDatabase.create(Vendor.POSTGRESQL);
             Database second = Database.builder().url(t.url).loadExternal(false).poolSize(2).build()) {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Integer> applied = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (Database db : List.of(t.db, second)) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        applied.add(Migrations.locations("classpath:db/slow").migrate(db));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failures).isEmpty();
            assertThat(applied).containsExactlyInAnyOrder(1, 0);
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM applied_once", Long.class)).contains(1L);
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'", Long.class))
                    .contains(1L);
        }
    }
}
