package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.Covet;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class QueryStatsTest {

    private static void createWorld(Database db) {
        db.update("CREATE TABLE world (id INTEGER PRIMARY KEY, random_number INTEGER NOT NULL)");
        db.batch("INSERT INTO world (id, random_number) VALUES (?, ?)",
                java.util.stream.IntStream.rangeClosed(1, 50).mapToObj(i -> List.of(i, i)).toList());
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"SQLITE", "POSTGRESQL", "POSTGRESQL_PIPELINED"})
    void eachRequestCountsOnlyItsOwnStatementsAndReportsThemInServerTiming(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            Map<String, QueryStats> byPath = new ConcurrentHashMap<>();
            Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false));
            app.use(QueryStatsMiddleware.create(10, (ctx, stats) -> byPath.put(ctx.path(), stats)));
            app.get("/one", ctx -> ctx.json(t.db.query("SELECT id FROM world WHERE id = ?", Integer.class, 1)));
            app.get("/three", ctx -> {
                for (int i = 1; i <= 3; i++) {
                    t.db.queryOne("SELECT random_number FROM world WHERE id = ?", Integer.class, i);
                }
                ctx.text("ok");
            });
            try (TestServer server = TestServer.start(app)) {
                TestResponse three = server.get("/three");
                server.get("/one");
                assertThat(three.header("Server-Timing")).hasValueSatisfying(v -> assertThat(v).contains("desc=\"3 statements\""));
            }
            assertThat(byPath.get("/three").statementCount()).isEqualTo(3);
            assertThat(byPath.get("/one").statementCount()).isEqualTo(1);
            assertThat(byPath.get("/three").nPlusOneSuspects()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"SQLITE", "POSTGRESQL", "POSTGRESQL_PIPELINED"})
    void theNPlusOneDetectorNamesAStatementRunOncePerRow(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            Map<String, QueryStats> byPath = new ConcurrentHashMap<>();
            Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false));
            app.use(QueryStatsMiddleware.create(10, (ctx, stats) -> byPath.put(ctx.path(), stats)));
            // the classic mistake: list ids, then one query per id
            app.get("/n-plus-one", ctx -> {
                for (int id : t.db.query("SELECT id FROM world", Integer.class)) {
                    t.db.queryOne("SELECT random_number FROM world WHERE id = ?", Integer.class, id);
                }
                ctx.text("done");
            });
            try (TestServer server = TestServer.start(app)) {
                assertThat(server.get("/n-plus-one").status()).isEqualTo(200);
            }
            QueryStats stats = byPath.get("/n-plus-one");
            assertThat(stats.statementCount()).isEqualTo(51);
            assertThat(stats.nPlusOneSuspects()).containsExactly("SELECT random_number FROM world WHERE id = ?");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"SQLITE", "POSTGRESQL", "POSTGRESQL_PIPELINED"})
    void statementsOnOtherThreadsAreNotCounted(Vendor vendor) throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            QueryStats stats = QueryStats.measure(() -> {
                t.db.queryOne("SELECT 1", Integer.class);
                Thread.ofVirtual().start(() -> t.db.queryOne("SELECT 2", Integer.class)).join();
            });
            assertThat(stats.statementCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"POSTGRESQL", "POSTGRESQL_PIPELINED"})
    void aSlowStatementIsLoggedButStillAnswers(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor, b -> b.slowStatementThreshold(Duration.ofMillis(50)))) {
            assertThat(t.db.queryOne("SELECT 7 FROM pg_sleep(0.1)", Integer.class)).contains(7);
        }
    }
}
