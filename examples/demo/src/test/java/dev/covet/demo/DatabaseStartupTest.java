package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.Covet;
import dev.covet.Problems;
import dev.covet.StartupTask;
import dev.covet.data.Database;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo serves before its database is migrated; the database routes say so until it is, or say for good that it failed. */
class DatabaseStartupTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Covet app() {
        Covet app = Covet.create(c -> c.loadExternal(false));
        app.get("/plaintext", ctx -> ctx.text("Hello, World!"));
        return app;
    }

    @Test
    void dbRoutesAnswer503ProblemJsonWhileTheDatabaseIsMigratedThen200() throws Exception {
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Covet app = app();
        StartupTask<DataExamples.Prepared> data = DataExamples.register(app, () -> {
            opened.countDown();
            release.await();  // holds the migration back until the test has seen the 503s
            return Database.builder().url("sqlite:" + dir.resolve("demo.db")).loadExternal(false).build();
        });
        try (TestServer server = TestServer.start(app)) {
            opened.await();
            assertThat(server.get("/plaintext").status()).isEqualTo(200);
            for (String path : new String[] {"/db", "/queries?queries=3", "/fortunes", "/updates", "/cached-queries"}) {
                TestResponse r = server.get(path);
                assertThat(r.status()).as(path).isEqualTo(503);
                assertThat(r.header("Content-Type")).as(path).contains("application/problem+json");
                assertThat(r.header("Retry-After")).as(path).contains("1");
                assertThat(r.body()).as(path).contains(Problems.STARTING).contains("'database' is still initializing");
            }
            release.countDown();
            assertThat(app.awaitReady(WAIT).ready()).isTrue();
            TestResponse db = server.get("/db");
            assertThat(db.status()).isEqualTo(200);
            assertThat(db.body()).matches("\\{\"id\":\\d+,\"randomNumber\":\\d+}");
        } finally {
            data.await(WAIT).db().close();
        }
    }

    @Test
    void aMigrationThatFailsKeepsTheDbRoutesFailingClearlyAndTheAppNotReady() throws Exception {
        Path file = dir.resolve("foreign.db");
        // A database that already holds a table of another application: Flyway refuses to migrate it.
        try (Database foreign = Database.builder().url("sqlite:" + file).loadExternal(false).build()) {
            foreign.update("CREATE TABLE world (name TEXT)");
        }
        Database db = Database.builder().url("sqlite:" + file).loadExternal(false).build();
        Covet app = app();
        StartupTask<DataExamples.Prepared> data = DataExamples.register(app, () -> db);
        try (TestServer server = TestServer.start(app)) {
            assertThat(app.awaitReady(WAIT).failed()).isTrue();
            assertThat(data.status().failure()).hasValueSatisfying(f -> assertThat(f).contains("Migration failed"));
            assertThat(server.get("/plaintext").status()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                TestResponse r = server.get("/db");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("Content-Type")).contains("application/problem+json");
                assertThat(r.body()).contains(Problems.STARTUP_FAILED).contains("'database' failed to initialize");
            }
            assertThat(db.queryOne("SELECT COUNT(*) FROM world", Long.class)).as("the foreign table is untouched")
                    .contains(0L);
        } finally {
            db.close();
        }
    }
}
