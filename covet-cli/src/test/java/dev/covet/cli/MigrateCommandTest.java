package dev.covet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.data.TestDatabase;
import dev.covet.data.Vendor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code covet migrate} run in-process, as {@code bin/covet} runs it, against SQLite and the machine's servers.
 * A test that runs on each database runs on SQLite, PostgreSQL and MariaDB: the command always reaches PostgreSQL
 * through JDBC, so {@link Vendor#POSTGRESQL_PIPELINED} would repeat {@link Vendor#POSTGRESQL}.
 */
class MigrateCommandTest {

    @TempDir
    Path work;

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** {@code covet args...} with this environment (instead of the process's) and working directory. */
    static Run covet(Map<String, String> env, Path workingDirectory, String... args) {
        CommandLine cli = new CommandLine(new CovetCommand());
        MigrateCommand migrate = (MigrateCommand) cli.getSubcommands().get("migrate").getCommand();
        migrate.environment = env;
        migrate.workingDirectory = workingDirectory;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Run migrate(String url, Path migrations, String... more) {
        return migrate(Map.of(), url, migrations, more);
    }

    Run migrate(Map<String, String> env, String url, Path migrations, String... more) {
        List<String> args = new ArrayList<>(List.of("migrate", "--url", url, "--location", migrations.toString()));
        args.addAll(List.of(more));
        return covet(env, work, args.toArray(String[]::new));
    }

    /** {@code covet migrate repair}, which must succeed. */
    Run repair(String url, Path migrations) {
        Run run = migrate(url, migrations, "repair");
        assertThat(run.exit()).as(run.all()).isZero();
        return run;
    }

    Path migrations(String... nameThenSql) throws IOException {
        Path dir = Files.createDirectories(work.resolve("migrations"));
        for (int i = 0; i < nameThenSql.length; i += 2) {
            Files.writeString(dir.resolve(nameThenSql[i]), nameThenSql[i + 1]);
        }
        return dir;
    }

    /** A statement that takes about a second, to hold a migration open while another run starts. */
    private static String sleepStatement(Vendor vendor) {
        return switch (vendor) {
            case POSTGRESQL, POSTGRESQL_PIPELINED -> "SELECT pg_sleep(1);";
            case MARIADB, MYSQL -> "SELECT SLEEP(1);";
            // no sleep function in SQLite: a recursive count that takes a moment
            case SQLITE -> "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT COUNT(*) FROM n;";
        };
    }

    private static void assertNoStackTrace(Run run) {
        assertThat(run.all()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void appliesThePendingMigrationsOnceAndASecondRunAppliesNone(Vendor vendor) throws Exception {
        Path dir = migrations("V1__create_book.sql", "CREATE TABLE book (id INTEGER PRIMARY KEY, title VARCHAR(100));",
                "V2__seed_book.sql", "INSERT INTO book (id, title) VALUES (1, 'Dune');");
        try (TestDatabase s = TestDatabase.create(vendor)) {
            Run first = migrate(s.url, dir);
            assertThat(first.exit()).as(first.all()).isZero();
            assertThat(first.out()).containsPattern("applied +1 +create book +\\d+ ms")
                    .containsPattern("applied +2 +seed book +\\d+ ms")
                    .contains("covet migrate: applied 2 migrations to " + s.url);
            assertThat(s.db.queryOne("SELECT COUNT(*) FROM book", Long.class)).contains(1L);

            Run second = migrate(s.url, dir);
            assertThat(second.exit()).as(second.all()).isZero();
            assertThat(second.out()).doesNotContain("applied ").contains("is up to date, nothing to apply");
            assertThat(s.db.queryOne("SELECT COUNT(*) FROM book", Long.class)).contains(1L);
            assertThat(s.db.queryOne("SELECT COUNT(*) FROM flyway_schema_history", Long.class)).contains(2L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void infoListsEveryMigrationAndChangesNothing(Vendor vendor) throws Exception {
        Path dir = migrations("V1__create_book.sql", "CREATE TABLE book (id INTEGER PRIMARY KEY);");
        try (TestDatabase s = TestDatabase.create(vendor)) {
            Run before = migrate(s.url, dir, "--info");
            assertThat(before.exit()).as(before.all()).isZero();
            assertThat(before.out()).containsPattern("(?m)^1 +create book +pending *$")
                    .contains("1 migration for " + s.url + ", 1 pending.");
            assertThat(s.hasTable("book")).isFalse();
            assertThat(s.hasTable("flyway_schema_history")).as("--info must not create the history").isFalse();

            assertThat(migrate(s.url, dir).exit()).isZero();
            Files.writeString(dir.resolve("V2__add_index.sql"), "CREATE INDEX book_id ON book (id);");
            Run after = migrate(s.url, dir, "--info");
            assertThat(after.exit()).as(after.all()).isZero();
            assertThat(after.out()).containsPattern("(?m)^1 +create book +applied +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$")
                    .containsPattern("(?m)^2 +add index +pending *$")
                    .contains("2 migrations for " + s.url + ", 1 applied, 1 pending.");
            assertThat(s.db.queryOne("SELECT COUNT(*) FROM flyway_schema_history", Long.class)).contains(1L);
        }
    }

    @Test
    void theUrlComesFromCovetDataUrlAndTheMigrationsFromTheProjectFolder() throws Exception {
        Path project = Files.createDirectories(work.resolve("app/src/main/resources/db/migration"));
        Files.writeString(project.resolve("V1__note.sql"), "CREATE TABLE note (id INTEGER PRIMARY KEY);");
        try (TestDatabase s = TestDatabase.create(Vendor.SQLITE)) {
            Run run = covet(Map.of("COVET_DATA_URL", s.url), work.resolve("app"), "migrate");
            assertThat(run.exit()).as(run.all()).isZero();
            assertThat(run.out()).containsPattern("applied +1 +note");
            assertThat(s.hasTable("note")).isTrue();
        }
    }

    @Test
    void theUrlComesFromCovetPropertiesAndTheMigrationsFromDbMigration() throws Exception {
        Path folder = Files.createDirectories(work.resolve("app/db/migration"));
        Files.writeString(folder.resolve("V1__note.sql"), "CREATE TABLE note (id INTEGER PRIMARY KEY);");
        try (TestDatabase s = TestDatabase.create(Vendor.SQLITE)) {
            Path properties = Files.writeString(work.resolve("covet.properties"), "covet.data.url=" + s.url + "\n");
            Run run = covet(Map.of("COVET_CONFIG", properties.toString()), work.resolve("app"), "migrate");
            assertThat(run.exit()).as(run.all()).isZero();
            assertThat(s.hasTable("note")).isTrue();
        }
    }

    @Test
    void urlOptionWinsOverCovetDataUrl() throws Exception {
        Path dir = migrations("V1__note.sql", "CREATE TABLE note (id INTEGER PRIMARY KEY);");
        try (TestDatabase chosen = TestDatabase.create(Vendor.SQLITE);
             TestDatabase other = TestDatabase.create(Vendor.SQLITE)) {
            Run run = covet(Map.of("COVET_DATA_URL", other.url), work,
                    "migrate", "--url", chosen.url, "--location", dir.toString());
            assertThat(run.exit()).as(run.all()).isZero();
            assertThat(chosen.hasTable("note")).isTrue();
            assertThat(other.hasTable("note")).isFalse();
        }
    }

    @Test
    void theOtherDataSettingsAreReadAsTheServerReadsThem() throws Exception {
        Path dir = migrations("V1__note.sql", "CREATE TABLE note (id INTEGER PRIMARY KEY);");
        Run run = migrate(Map.of("COVET_DATA_ACQUISITION_TIMEOUT", "soon"), "sqlite:" + work.resolve("app.db"), dir);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value 'soon' for covet.data.acquisition-timeout")
                .contains("environment variable COVET_DATA_ACQUISITION_TIMEOUT");
        assertNoStackTrace(run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"migrate", "migrate repair"})
    void withoutAUrlItSaysHowToGiveOne(String command) {
        Run run = covet(Map.of(), work, command.split(" "));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("covet " + command + ": no database URL").contains("--url")
                .contains("COVET_DATA_URL");
        assertNoStackTrace(run);
    }

    @Test
    void withoutAMigrationsFolderItSaysWhereItLookedAndHowToPassOne() {
        Run run = covet(Map.of(), work, "migrate", "--url", "sqlite:" + work.resolve("app.db"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("src/main/resources/db/migration").contains("db/migration")
                .contains(work.toAbsolutePath().toString()).contains("--location");
        assertNoStackTrace(run);
    }

    @Test
    void aLocationThatDoesNotExistIsRefusedNotSilentlyEmpty() {
        Run run = migrate("sqlite:" + work.resolve("app.db"), work.resolve("db/{vendor}"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("the migrations location " + work.resolve("db/sqlite") + " does not exist");
        assertNoStackTrace(run);
    }

    @Test
    void vendorFoldersAreChosenByTheUrlAndRelativeOnesReadFromTheWorkingDirectory() throws Exception {
        Files.createDirectories(work.resolve("db/sqlite"));
        Files.writeString(work.resolve("db/sqlite/V1__note.sql"), "CREATE TABLE note (id INTEGER PRIMARY KEY);");
        try (TestDatabase s = TestDatabase.create(Vendor.SQLITE)) {
            Run run = covet(Map.of(), work, "migrate", "--url", s.url, "--location", "filesystem:db/{vendor}");
            assertThat(run.exit()).as(run.all()).isZero();
            assertThat(s.hasTable("note")).isTrue();
        }
    }

    @Test
    void anUnknownUrlSchemeIsRefusedWithTheAcceptedForms() throws Exception {
        Run run = migrate("oracle://scott:tiger-pw@db:1521/orcl", migrations());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Unsupported database URL").contains("postgresql://").contains("sqlite:");
        assertThat(run.all()).doesNotContain("tiger-pw");
        assertNoStackTrace(run);
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"POSTGRESQL", "MARIADB"})
    void anUnreachableServerIsNamedWithHowToStartTheLocalOnes(Vendor vendor) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        String scheme = vendor == Vendor.POSTGRESQL ? "postgresql" : "mariadb";
        Run run = migrate(scheme + "://app:Sec%2Fret-9@127.0.0.1:" + port + "/app", migrations());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach the database server at 127.0.0.1:" + port)
                .contains("bin/services");
        assertThat(run.all()).doesNotContain("Sec%2Fret-9").doesNotContain("Sec/ret-9");
        assertNoStackTrace(run);
    }

    @Test
    void thePasswordIsMaskedInTheReportAndInTheVerboseStackTrace() throws Exception {
        Path dir = migrations("V1__note.sql", "CREATE TABLE note (id INTEGER PRIMARY KEY);");
        try (TestDatabase s = TestDatabase.create(Vendor.POSTGRESQL)) {
            // the local server trusts 127.0.0.1, so the password is accepted and ignored
            String url = s.url.replace("postgres@", "postgres:pa55-w0rd@");
            Run ok = migrate(url, dir);
            assertThat(ok.exit()).as(ok.all()).isZero();
            assertThat(ok.out()).contains("postgres:***@127.0.0.1");
            Run repaired = repair(url, dir);
            assertThat(repaired.out()).contains("the history of postgresql://postgres:***@127.0.0.1");

            Run broken = migrate(url + "_missing", dir, "--verbose");
            assertThat(broken.exit()).isEqualTo(1);
            assertThat(broken.err()).contains("does not exist").contains("\tat ");
            assertThat(ok.all() + repaired.all() + broken.all()).doesNotContain("pa55-w0rd");
        }
    }

    /** PostgreSQL's and SQLite's DDL is transactional: V1 stays applied, nothing of the broken V2 does. */
    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"POSTGRESQL", "SQLITE"})
    void aFailedMigrationIsRolledBackWholeAndNamesTheFileAndTheError(Vendor vendor) throws Exception {
        Path dir = migrations("V1__create_book.sql", "CREATE TABLE book (id INTEGER PRIMARY KEY);",
                "V2__broken.sql", "CREATE TABLE shelf (id INTEGER PRIMARY KEY);\nALTER TABLE book ADD COLUMN x INTEGER;\n"
                        + "CREATE TABLE (;\n");
        try (TestDatabase s = TestDatabase.create(vendor)) {
            Run run = migrate(s.url, dir);
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("V2__broken.sql").contains("syntax error").contains("Line       : 3")
                    .contains("covet migrate --info").doesNotContain("-X option");
            assertNoStackTrace(run);
            // V1 stays applied; all of V2 was rolled back: no shelf table, no new column, no history row
            assertThat(s.hasTable("book")).isTrue();
            assertThat(s.hasTable("shelf")).isFalse();
            String bookColumns = vendor == Vendor.SQLITE ? "SELECT COUNT(*) FROM pragma_table_info('book')"
                    : "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'book'";
            assertThat(s.db.queryOne(bookColumns, Long.class)).contains(1L);
            assertThat(migrate(s.url, dir, "--info").out()).containsPattern("(?m)^1 +create book +applied")
                    .containsPattern("(?m)^2 +broken +pending");
        }
    }

    @Test
    void aFailedMigrationOnMariaDbIsReportedAndListedAsFailedUntilRepaired() throws Exception {
        Path dir = migrations("V1__broken.sql", "CREATE TABLE shelf (id INTEGER PRIMARY KEY);\nCREATE TABLE (;\n");
        try (TestDatabase s = TestDatabase.create(Vendor.MARIADB)) {
            Run run = migrate(s.url, dir);
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("V1__broken.sql").contains("SQL syntax");
            assertNoStackTrace(run);
            assertThat(migrate(s.url, dir, "--info").out()).containsPattern("(?m)^1 +broken +failed");

            Run again = migrate(s.url, dir);
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("Detected failed migration to version 1")
                    .contains("run `covet migrate repair` to fix the schema history");

            assertThat(repair(s.url, dir).out()).containsPattern("(?m)^removed +1 +broken$")
                    .contains("repaired the history of " + s.url).contains(": 1 removed.")
                    .contains("first undo by hand what it did before it failed");
            assertThat(migrate(s.url, dir, "--info").out()).containsPattern("(?m)^1 +broken +pending");
            // what V1 did before it failed is still there, as the message says
            assertThat(s.hasTable("shelf")).isTrue();
            s.db.update("DROP TABLE shelf");
            Files.writeString(dir.resolve("V1__broken.sql"), "CREATE TABLE shelf (id INTEGER PRIMARY KEY);\n");
            Run fixed = migrate(s.url, dir);
            assertThat(fixed.exit()).as(fixed.all()).isZero();
            assertThat(fixed.out()).contains("applied 1 migration to");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void aHistoryThatNoLongerMatchesTheFilesIsRefusedUntilRepaired(Vendor vendor) throws Exception {
        Path dir = migrations("V1__create_book.sql", "CREATE TABLE book (id INTEGER PRIMARY KEY);");
        try (TestDatabase s = TestDatabase.create(vendor)) {
            assertThat(migrate(s.url, dir).exit()).isZero();
            Files.writeString(dir.resolve("V1__create_book.sql"), "CREATE TABLE book (id INTEGER PRIMARY KEY, x INTEGER);");
            Files.writeString(dir.resolve("V2__more.sql"), "CREATE TABLE more_t (id INTEGER PRIMARY KEY);");

            Run run = migrate(s.url, dir);
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("checksum mismatch for migration version 1")
                    .contains("or run `covet migrate repair` to update the schema history")
                    .doesNotContain("Need more flexibility");
            assertNoStackTrace(run);
            assertThat(s.hasTable("more_t")).as("nothing runs while the history disagrees").isFalse();

            Run info = migrate(s.url, dir, "--info");
            assertThat(info.exit()).isZero();
            assertThat(info.out()).containsPattern("(?m)^1 +create book +changed").contains("A file changed")
                    .contains("`covet migrate repair` accepts the file as it is now");

            // the options may also follow the subcommand
            Run repair = covet(Map.of(), work, "migrate", "repair", "--url", s.url, "--location", dir.toString());
            assertThat(repair.exit()).as(repair.all()).isZero();
            assertThat(repair.out()).containsPattern("(?m)^realigned +1 +create book$")
                    .contains("covet migrate repair: repaired the history of " + s.url).contains(": 1 realigned.")
                    .contains("A realigned migration does not run again");
            assertThat(s.hasTable("more_t")).as("repair runs no migration").isFalse();

            Run after = migrate(s.url, dir);
            assertThat(after.exit()).as(after.all()).isZero();
            assertThat(after.out()).contains("applied 1 migration to");
            assertThat(s.hasTable("more_t")).isTrue();
            String bookColumns = vendor == Vendor.SQLITE ? "SELECT COUNT(*) FROM pragma_table_info('book')"
                    : "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'book'";
            assertThat(s.db.queryOne(bookColumns, Long.class)).as("the edited V1 did not run again").contains(1L);

            assertThat(repair(s.url, dir).out()).contains("the history of " + s.url + " matches the files, nothing to repair");
        }
    }

    @Test
    void repairMarksAMigrationWhoseFileIsGoneAsDeleted() throws Exception {
        Path dir = migrations("V1__create_book.sql", "CREATE TABLE book (id INTEGER PRIMARY KEY);",
                "V2__create_shelf.sql", "CREATE TABLE shelf (id INTEGER PRIMARY KEY);");
        try (TestDatabase s = TestDatabase.create(Vendor.SQLITE)) {
            assertThat(migrate(s.url, dir).exit()).isZero();
            Files.delete(dir.resolve("V1__create_book.sql"));
            Run run = migrate(s.url, dir);
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("Detected applied migration not resolved locally: 1")
                    .contains("run `covet migrate repair` to mark the migration as deleted");

            assertThat(repair(s.url, dir).out()).containsPattern("(?m)^marked deleted +1 +create book$")
                    .contains(": 1 marked deleted.").contains("no longer needs its file");
            assertThat(migrate(s.url, dir, "--info").out()).containsPattern("(?m)^1 +create book +deleted ")
                    .containsPattern("(?m)^2 +create shelf +applied ");
            assertThat(migrate(s.url, dir).exit()).isZero();
            assertThat(s.hasTable("book")).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void twoRunsAtOnceApplyEachMigrationExactlyOnce(Vendor vendor) throws Exception {
        try (TestDatabase s = TestDatabase.create(vendor)) {
            Path dir = migrations("V1__slow.sql", "CREATE TABLE applied_once (id INTEGER PRIMARY KEY);\n"
                    + "INSERT INTO applied_once (id) VALUES (1);\n" + sleepStatement(vendor) + "\n");
            CyclicBarrier start = new CyclicBarrier(2);
            List<Run> runs = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        // room for the SQLite run that waits out the other's migration
                        runs.add(migrate(Map.of("COVET_DATA_ACQUISITION_TIMEOUT", "30s"), s.url, dir));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(runs).allSatisfy(r -> assertThat(r.exit()).as(r.all()).isZero());
            assertThat(runs).extracting(r -> r.out().contains("applied 1 migration to"))
                    .containsExactlyInAnyOrder(true, false);
            assertThat(s.db.queryOne("SELECT COUNT(*) FROM applied_once", Long.class)).contains(1L);
            assertThat(s.db.queryOne("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'", Long.class))
                    .contains(1L);
        }
    }
}
