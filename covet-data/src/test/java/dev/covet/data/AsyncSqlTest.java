package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.Covet;
import dev.covet.RouteOptions;
import dev.covet.testkit.TcpProxy;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link AsyncSql}: the same answers and failures as the blocking methods, without the caller waiting. */
class AsyncSqlTest {

    record World(int id, int randomNumber) { }

    private static final String SELECT = "SELECT id, random_number FROM world WHERE id = ?";

    private static void createWorld(Database db) {
        db.update("CREATE TABLE world (id INTEGER PRIMARY KEY, random_number INTEGER NOT NULL)");
        db.batch("INSERT INTO world (id, random_number) VALUES (?, ?)",
                List.of(List.of(1, 100), List.of(2, 200), List.of(3, 300)));
    }

    private static <T> T result(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What {@code stage} failed with, unwrapped. */
    private static Throwable failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the stage did not fail in time", e);
        }
        throw new AssertionError("the stage completed normally");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void everyMethodAnswersAsItsBlockingTwin(Vendor vendor) throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            AsyncSql async = t.db.async();
            assertThat(result(async.query("SELECT id, random_number FROM world ORDER BY id", World.class)))
                    .isEqualTo(t.db.query("SELECT id, random_number FROM world ORDER BY id", World.class));
            assertThat(result(async.queryOne(SELECT, World.class, 2))).contains(new World(2, 200));
            assertThat(result(async.queryOne(SELECT, World.class, 99))).isEmpty();
            assertThat(result(async.queryOneEach(SELECT, World.class, List.of(List.of(3), List.of(99), List.of(1)))))
                    .containsExactly(Optional.of(new World(3, 300)), Optional.empty(), Optional.of(new World(1, 100)));
            assertThat(result(async.update("UPDATE world SET random_number = ? WHERE id > ?", 7, 1))).isEqualTo(2);
            assertThat(result(async.batch("UPDATE world SET random_number = ? WHERE id = ?",
                    List.of(List.of(11, 1), List.of(33, 3), List.of(0, 99))))).containsExactly(1, 1, 0);
            assertThat(t.db.query("SELECT id, random_number FROM world ORDER BY id", World.class))
                    .containsExactly(new World(1, 11), new World(2, 7), new World(3, 33));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void failuresAreTheBlockingMethodsExceptions(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            assertThat(failure(t.db.async().queryOne("SELECT id, random_number FROM world", World.class)))
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("at most one row");
            assertThat(failure(t.db.async().update("UPDATE no_such_table SET x = 1")))
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("no_such_table");
            // a failed batch changes nothing, as the blocking one
            assertThat(failure(t.db.async().batch("INSERT INTO world (id, random_number) VALUES (?, ?)",
                    List.of(List.of(4, 400), List.of(1, 100))))).isInstanceOf(DataAccessException.class);
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM world", Long.class)).contains(3L);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void statementsCountInTheSendersScopeAndTransactionsAreRefused(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            QueryStats stats = QueryStats.measure(() ->
                    result(t.db.async().queryOneEach(SELECT, World.class, List.of(List.of(1), List.of(2)))));
            assertThat(stats.countsByStatement()).containsEntry(SELECT, 2);
            t.db.inTransaction(tx -> assertThatThrownBy(() -> t.db.async().queryOne(SELECT, World.class, 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside transactions"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"POSTGRESQL_PIPELINED", "MARIADB"})
    void thePipelinedClientCompletesOnItsEventLoopOthersOnAVirtualThread(Vendor vendor) throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            // a statement slow enough that the callback is attached before it completes
            String slow = vendor == Vendor.MARIADB ? "SELECT SLEEP(0.2)" : "SELECT 1 FROM pg_sleep(0.2)";
            AtomicReference<Thread> completedOn = new AtomicReference<>();
            result(t.db.async().queryOne(slow, Integer.class).thenRun(() -> completedOn.set(Thread.currentThread())));
            if (vendor == Vendor.POSTGRESQL_PIPELINED) {
                assertThat(completedOn.get().isVirtual()).isFalse();
                assertThat(completedOn.get().getName()).contains("vert.x-eventloop");
            } else {
                assertThat(completedOn.get().isVirtual()).isTrue();
                assertThat(completedOn.get().getName()).isEqualTo("covet-sql-async");
            }
        }
    }

    /** End to end: a non-blocking route answers from the database through ctx.future, and 503 while it is down. */
    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"POSTGRESQL_PIPELINED", "MARIADB"})
    void aNonBlockingRouteAnswersFromTheDatabaseAnd503WhileItIsUnreachable(Vendor vendor) throws Exception {
        try (TestDatabase direct = TestDatabase.create(vendor); TcpProxy proxy = TcpProxy.to(TestDatabase.serverPort(vendor));
             Database db = vendor.client(Database.builder()).url(direct.urlVia(proxy.hostPort())).loadExternal(false)
                     .poolSize(2).acquisitionTimeout(Duration.ofMillis(1000)).build()) {
            createWorld(db);
            Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false));
            app.get("/world/{id:int}", ctx -> ctx.future(db.async().queryOne(SELECT, World.class, ctx.pathParamAsInt("id"))
                    .thenAccept(world -> ctx.json(world.orElseThrow()))), RouteOptions.create().nonBlocking());
            try (TestServer server = TestServer.start(app)) {
                TestResponse ok = server.get("/world/3");
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo("{\"id\":3,\"randomNumber\":300}");
                assertThat(server.get("/world/99").status()).as("orElseThrow: no such row").isEqualTo(500);

                proxy.cut();
                TestResponse down = server.get("/world/1");
                assertThat(down.status()).isEqualTo(503);
                assertThat(down.body()).contains(DatabaseUnavailableException.TYPE);
                proxy.restore();
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                int status = 0;
                while (status != 200 && System.nanoTime() < deadline) {
                    status = server.get("/world/1").status();
                    if (status != 200) {
                        Thread.sleep(100);
                    }
                }
                assertThat(status).as("recovered by itself").isEqualTo(200);
            }
        }
    }

    /** ioThreadsOf(app): the statement, its answer and the response on one of Covet's I/O threads. */
    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = "POSTGRESQL_PIPELINED")
    void onCovetsIoThreadsAStatementAndItsResponseShareOneThread(Vendor vendor) throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false).ioThreads(1));
            AtomicReference<String> sentFrom = new AtomicReference<>();
            AtomicReference<String> answeredOn = new AtomicReference<>();
            AtomicReference<Database> shared = new AtomicReference<>();
            app.get("/world/{id:int}", ctx -> {
                sentFrom.set(Thread.currentThread().getName());
                ctx.future(shared.get().async().queryOne(SELECT, World.class, ctx.pathParamAsInt("id")).thenAccept(world -> {
                    answeredOn.set(Thread.currentThread().getName());
                    ctx.json(world.orElseThrow());
                }));
            }, RouteOptions.create().nonBlocking());
            try (TestServer server = TestServer.start(app)) {
                Database db = vendor.client(Database.builder()).url(t.url).loadExternal(false).poolSize(2)
                        .ioThreadsOf(app).build();
                shared.set(db);
                try {
                    assertThat(server.get("/world/2").body()).isEqualTo("{\"id\":2,\"randomNumber\":200}");
                    assertThat(sentFrom.get()).startsWith("covet-io");
                    assertThat(answeredOn.get()).as("answered on the I/O thread the request came in on")
                            .isEqualTo(sentFrom.get());
                    // the blocking methods work as before, from any thread
                    assertThat(db.queryOne(SELECT, World.class, 3)).contains(new World(3, 300));
                } finally {
                    db.close(); // before the app stops: the loops are the app's
                }
                assertThat(server.get("/health-after-close").status()).as("the app's loops run on").isEqualTo(404);
            }
        }
    }

    /**
     * A blocking call on the thread that reads the client's answers would wait for ever: it is refused at
     * once, before anything is sent, on Covet's I/O threads (ioThreadsOf) and on the client's own loop.
     */
    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = "POSTGRESQL_PIPELINED")
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the check this waits for ever
    void aBlockingCallThatWouldWaitForItsOwnThreadIsRefusedAndNothingIsSent(Vendor vendor) throws Exception {
        String zeroFirst = "UPDATE world SET random_number = 0 WHERE id = 1";
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createWorld(t.db);
            Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false).ioThreads(1));
            AtomicReference<Database> shared = new AtomicReference<>();
            app.get("/blocking-on-io", ctx -> {
                try {
                    ctx.text("updated " + shared.get().update(zeroFirst));
                } catch (IllegalStateException refused) {
                    ctx.status(500).text(refused.getMessage());
                }
            }, RouteOptions.create().nonBlocking());
            try (TestServer server = TestServer.start(app)) {
                Database onIoThreads = vendor.client(Database.builder()).url(t.url).loadExternal(false)
                        .ioThreadsOf(app).build();
                shared.set(onIoThreads);
                try {
                    TestResponse r = server.get("/blocking-on-io");
                    assertThat(r.status()).isEqualTo(500);
                    assertThat(r.body()).contains("covet-io").contains("would wait for ever").contains("db.async()");
                } finally {
                    onIoThreads.close();
                }
            }
            // A stage runs on the client's own loop when its statement is answered after the stage is attached;
            // an answer that takes 200 ms makes sure of that (a fast one could run the stage on this thread).
            Throwable refused = failure(t.db.async().queryOne("SELECT 1 FROM pg_sleep(0.2)", Integer.class)
                    .thenApply(slow -> t.db.update(zeroFirst)));
            assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("would wait for ever");
            assertThat(t.db.queryOne(SELECT, World.class, 1)).as("neither update was sent").contains(new World(1, 100));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = "POSTGRESQL_PIPELINED")
    void aDatabaseClosedAfterItsAppStoppedClosesWithoutHanging(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false).ioThreads(1)).start();
            Database db = vendor.client(Database.builder()).url(t.url).loadExternal(false).ioThreadsOf(app).build();
            assertThat(db.queryOne("SELECT 1", Integer.class)).contains(1);
            app.stop(); // the wrong order: the loops are gone before the client's connections are closed
            long start = System.nanoTime();
            db.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(12));
            assertThat(failure(db.async().queryOne("SELECT 1", Integer.class))).isInstanceOf(RuntimeException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = "POSTGRESQL_PIPELINED")
    void ioThreadsOfAnAppThatIsNotRunningIsRefusedClearly(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false));
            assertThatThrownBy(() -> vendor.client(Database.builder()).url(t.url).loadExternal(false).ioThreadsOf(app).build())
                    .hasMessageContaining("not running");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = "POSTGRESQL_PIPELINED")
    void aClosedDatabaseFailsTheStageInsteadOfThrowing(Vendor vendor) {
        TestDatabase t = TestDatabase.create(vendor);
        try (t) {
            Database db = vendor.client(Database.builder()).url(t.url).loadExternal(false).build();
            db.close();
            assertThat(failure(db.async().queryOne("SELECT 1", Integer.class))).isInstanceOf(RuntimeException.class)
                    .isNotInstanceOf(CompletionException.class);
        }
    }
}
