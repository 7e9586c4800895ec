package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.Covet;
import dev.covet.data.Database;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TechEmpower database endpoints on a fresh SQLite file (no set-up, as the demo runs by default), in
 * both styles: blocking handlers (the default) and non-blocking ones ({@code DEMO_NON_BLOCKING=true}).
 */
class DataExamplesTest {
    @TempDir
    static Path dir;
    static Database db;
    static TestServer blocking;
    static TestServer nonBlocking;

    @BeforeAll
    static void start() throws InterruptedException {
        db = Database.builder().url("sqlite:" + dir.resolve("demo.db")).loadExternal(false).build();
        blocking = started(false);
        nonBlocking = started(true);
    }

    private static TestServer started(boolean nonBlockingRoutes) throws InterruptedException {
        Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false));
        DataExamples.register(app, () -> db, DataExamples.WORLD_ROWS, false, nonBlockingRoutes);
        TestServer started = TestServer.start(app);
        assertThat(app.awaitReady(Duration.ofSeconds(30)).ready()).as("migrated and seeded").isTrue();
        return started;
    }

    private static TestServer server(boolean nonBlockingRoutes) {
        return nonBlockingRoutes ? nonBlocking : blocking;
    }

    @AfterAll
    static void stop() {
        blocking.close();
        nonBlocking.close();
        db.close();
    }

    @Test
    void worldIsSeededWithTenThousandRowsAndFortunesWithTwelve() {
        assertThat(db.queryOne("SELECT COUNT(*) FROM world", Long.class)).contains(10_000L);
        assertThat(db.queryOne("SELECT COUNT(*) FROM fortune", Long.class)).contains(12L);
        assertThat(db.queryOne("SELECT COUNT(*) FROM world WHERE randomnumber < 1 OR randomnumber > 10000", Long.class))
                .contains(0L);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dbAnswersOneWorldAsJson(boolean nonBlockingRoutes) {
        TestResponse r = server(nonBlockingRoutes).get("/db");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).matches("\\{\"id\":\\d+,\"randomNumber\":\\d+}");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void queriesAreClampedAndNonNumbersMeanOne(boolean nonBlockingRoutes) {
        assertThat(server(nonBlockingRoutes).get("/queries?queries=5").body().split("randomNumber")).hasSize(6);
        assertThat(server(nonBlockingRoutes).get("/queries?queries=0").body().split("randomNumber")).hasSize(2);
        assertThat(server(nonBlockingRoutes).get("/queries?queries=foo").body().split("randomNumber")).hasSize(2);
        assertThat(server(nonBlockingRoutes).get("/queries").body().split("randomNumber")).hasSize(2);
        assertThat(server(nonBlockingRoutes).get("/queries?queries=501").body().split("randomNumber")).hasSize(501);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fortunesAreEscapedSortedAndIncludeTheAddedOne(boolean nonBlockingRoutes) {
        TestResponse r = server(nonBlockingRoutes).get("/fortunes");
        assertThat(r.header("Content-Type")).contains("text/html; charset=utf-8");
        String body = r.body();
        assertThat(body).startsWith("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>");
        // JTE escapes <, > and & in element content; a quote needs no escaping there (TechEmpower accepts both)
        assertThat(body).contains("<tr><td>11</td><td>&lt;script&gt;alert(\"This should not be displayed in a browser alert box.\");&lt;/script&gt;</td></tr>");
        assertThat(body).contains("<td>0</td><td>Additional fortune added at request time.</td>");
        assertThat(body).contains("フレームワークのベンチマーク");
        assertThat(body.indexOf("<td>11</td>")).isLessThan(body.indexOf("<td>4</td>")); // '<' sorts before 'A'
        assertThat(body.split("<tr>")).hasSize(15); // text before, the header row, 12 + 1 fortunes
        assertThat(body).endsWith("</td></tr></table></body></html>\n"); // the template file ends with a newline
        assertThat(r.header("Content-Length")).contains(String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void updatesChangeTheRowsTheyReturn(boolean nonBlockingRoutes) {
        TestResponse r = server(nonBlockingRoutes).get("/updates?queries=20");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().split("randomNumber")).hasSize(21);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aPreparedDatabaseIsNeitherMigratedNorSeededAndIdsComeFromTheConfiguredRange(boolean nonBlockingRoutes)
            throws InterruptedException {
        // As the benchmark harness runs it: its own tables and rows, DEMO_DATA_PREPARED=true, DEMO_WORLD_ROWS=3.
        try (Database own = Database.builder().url("sqlite:" + dir.resolve("prepared-" + nonBlockingRoutes + ".db"))
                .loadExternal(false).build()) {
            own.update("CREATE TABLE world (id INTEGER PRIMARY KEY, randomnumber INTEGER NOT NULL)");
            own.update("CREATE TABLE fortune (id INTEGER PRIMARY KEY, message VARCHAR(2048) NOT NULL)");
            own.batch("INSERT INTO world (id, randomnumber) VALUES (?, ?)", List.of(List.of(1, 10), List.of(2, 20), List.of(3, 30)));
            Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false));
            DataExamples.register(app, () -> own, 3, true, nonBlockingRoutes);
            try (TestServer prepared = TestServer.start(app)) {
                assertThat(app.awaitReady(Duration.ofSeconds(30)).ready()).isTrue();
                for (int i = 0; i < 20; i++) {
                    assertThat(prepared.get("/db").body()).matches("\\{\"id\":[123],\"randomNumber\":[123]0}");
                }
                assertThat(prepared.get("/updates?queries=5").body()).matches("\\[(\\{\"id\":[123],\"randomNumber\":\\d+},?){5}]");
            }
            assertThat(own.queryOne("SELECT COUNT(*) FROM world", Long.class)).contains(3L);
            assertThat(own.queryOne("SELECT COUNT(*) FROM fortune", Long.class)).as("not migrated, so not seeded").contains(0L);
            assertThat(own.queryOne("SELECT COUNT(*) FROM world WHERE randomnumber < 1 OR randomnumber > 10000", Long.class))
                    .as("randomNumber stays in TechEmpower's range").contains(0L);
        }
    }

    @Test
    void cachedQueriesAnswerFromTheCache() {
        assertThat(blocking.get("/cached-queries?count=10").body().split("randomNumber")).hasSize(11);
        assertThat(blocking.get("/cached-queries?count=x").body().split("randomNumber")).hasSize(2);
    }
}
