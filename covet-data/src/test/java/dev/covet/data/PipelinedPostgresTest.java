package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.covet.testkit.TcpProxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What is particular to {@link PgClient#PIPELINED}. The shared suite (every test parameterized on
 * {@link Vendor}) runs all the rest on both PostgreSQL clients.
 */
class PipelinedPostgresTest {

    record Everything(short small, int normal, long big, BigDecimal exact, double real, boolean flag, String text,
                      LocalDateTime local, Instant instant, LocalDate day, UUID ref, String stamp, Integer missing) { }

    @Test
    void placeholdersOutsideLiteralsIdentifiersAndCommentsAreNumbered() {
        assertThat(PipelinedPostgres.numbered("SELECT a FROM t WHERE b = ? AND c = ?").numbered())
                .isEqualTo("SELECT a FROM t WHERE b = $1 AND c = $2");
        assertThat(PipelinedPostgres.numbered("SELECT '?', 'it''s ?', \"q?\", E'\\'?', $$ ? $$, $x$ ? $x$ FROM t WHERE b = ?")
                .numbered()).isEqualTo("SELECT '?', 'it''s ?', \"q?\", E'\\'?', $$ ? $$, $x$ ? $x$ FROM t WHERE b = $1");
        assertThat(PipelinedPostgres.numbered("SELECT ? -- why?\n, /* a ? /* nested ? */ ? */ ?").numbered())
                .isEqualTo("SELECT $1 -- why?\n, /* a ? /* nested ? */ ? */ $2");
        assertThat(PipelinedPostgres.numbered("SELECT data ?? 'k', ? FROM t").numbered()).isEqualTo("SELECT data ? 'k', $1 FROM t");
    }

    @Test
    void severalStatementsAndCommandsWithoutARowCountAreLeftToJdbc() {
        assertThat(PipelinedPostgres.numbered("SELECT 1;").accepted()).isTrue();
        assertThat(PipelinedPostgres.numbered(" /* c */ (SELECT ';')").accepted()).isTrue();
        assertThat(PipelinedPostgres.numbered("-- c\nwith x as (select 1) update t set a = 1").accepted()).isTrue();
        assertThat(PipelinedPostgres.numbered("INSERT INTO a VALUES (1); INSERT INTO a VALUES (2)").accepted()).isFalse();
        assertThat(PipelinedPostgres.numbered("CREATE TABLE a (id INT)").accepted()).isFalse();
        try (TestDatabase t = TestDatabase.create(Vendor.POSTGRESQL_PIPELINED)) {
            t.db.update("CREATE TABLE a (id INT); CREATE TABLE b (id INT)");
            assertThat(t.db.update("CREATE TABLE IF NOT EXISTS a (id INT)")).isZero(); // as pgjdbc says
            assertThat(t.db.update("INSERT INTO b (id) VALUES (?)", 1)).isEqualTo(1);
        }
    }

    @Test
    void aStatementAfterCloseFailsAtOnceInsteadOfWaitingForever() {
        try (TestDatabase t = TestDatabase.create(Vendor.POSTGRESQL)) {
            Database db = Vendor.POSTGRESQL_PIPELINED.client(Database.builder()).url(t.url).loadExternal(false).build();
            assertThat(db.queryOne("SELECT 1", Integer.class)).contains(1);
            db.close();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> db.queryOne("SELECT 1", Integer.class))
                            .isInstanceOf(DatabaseUnavailableException.class).hasMessageContaining("client is closed"));
        }
    }

    @Test
    void rowsMapToTheSameRecordsAndStringsOnBothClients() {
        try (TestDatabase jdbc = TestDatabase.create(Vendor.POSTGRESQL);
             Database pipelined = Vendor.POSTGRESQL_PIPELINED.client(Database.builder()).url(jdbc.url)
                     .loadExternal(false).poolSize(2).build()) {
            jdbc.db.update("""
                    CREATE TABLE everything (small SMALLINT, normal INTEGER, big BIGINT, exact NUMERIC(12, 3),
                      real DOUBLE PRECISION, flag BOOLEAN, text VARCHAR(50), local TIMESTAMP, instant TIMESTAMPTZ,
                      day DATE, ref UUID, stamp TIMESTAMPTZ, missing INTEGER)""");
            Instant now = Instant.parse("2026-03-01T10:15:30.123456Z");
            Object[] values = {(short) 7, 42, 1L << 40, new BigDecimal("12.345"), 0.25, true, "Ünïcødé ✓",
                    LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6000), now, LocalDate.of(2026, 2, 28), UUID.randomUUID(), now, null};
            // written once through each client: binding must agree too
            jdbc.db.update("INSERT INTO everything VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
            pipelined.update("INSERT INTO everything VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);

            List<Everything> viaJdbc = jdbc.db.query("SELECT * FROM everything", Everything.class);
            List<Everything> viaPipelined = pipelined.query("SELECT * FROM everything", Everything.class);
            assertThat(viaJdbc).hasSize(2).containsExactlyElementsOf(viaPipelined);
            assertThat(viaJdbc.get(0)).isEqualTo(viaJdbc.get(1));
            assertThat(viaJdbc.get(0).instant()).isEqualTo(now);
            for (String column : List.of("small", "normal", "big", "exact", "real", "flag", "text", "local", "instant",
                    "day", "ref", "stamp", "missing")) {
                String sql = "SELECT " + column + " FROM everything";
                assertThat(pipelined.query(sql, String.class)).as(column).isEqualTo(jdbc.db.query(sql, String.class));
            }
        }
    }

    @Test
    void aBatchWithThePipelinedClientIsStillAllOrNothingAndKeepsTheSqlState() {
        try (TestDatabase t = TestDatabase.create(Vendor.POSTGRESQL_PIPELINED)) {
            t.db.update("CREATE TABLE world (id INTEGER PRIMARY KEY, random_number INTEGER NOT NULL)");
            // one round trip, one implicit transaction; real row counts (pgjdbc's reWriteBatchedInserts
            // would answer SUCCESS_NO_INFO, -2, per row)
            assertThat(t.db.batch("INSERT INTO world VALUES (?, ?)", List.of(List.of(1, 1), List.of(2, 2))))
                    .containsExactly(1, 1);
            assertThatThrownBy(() -> t.db.batch("INSERT INTO world VALUES (?, ?)",
                    List.of(List.of(3, 3), List.of(4, 4), List.of(1, 9))))
                    .isInstanceOfSatisfying(DataAccessException.class,
                            e -> assertThat(e.sqlState()).contains("23505"));
            assertThat(t.db.queryOne("SELECT COUNT(*) FROM world", Long.class)).contains(2L);
            assertThat(t.db.batch("UPDATE world SET random_number = ? WHERE id = ?", List.of())).isEmpty();
        }
    }

    @Test
    void anExhaustedPipelinedPoolAnswers503DatabaseBusyAfterTheAcquisitionTimeout() throws Exception {
        try (TestDatabase t = TestDatabase.create(Vendor.POSTGRESQL_PIPELINED,
                b -> b.poolSize(1).pipeliningLimit(1).acquisitionTimeout(Duration.ofMillis(300)))) {
            Thread holder = Thread.ofVirtual().start(() -> t.db.queryOne("SELECT 1 FROM pg_sleep(4)", Integer.class));
            // the one connection's one slot is taken once the sleep runs on the server (asked through JDBC:
            // statements inside a transaction do not use the pipelined client)
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (t.db.transaction(tx -> tx.queryOne("SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' "
                    + "AND query LIKE '%pg_sleep(4)%' AND pid <> pg_backend_pid()", Long.class).orElseThrow()) == 0) {
                assertThat(System.nanoTime()).as("the holding statement never started").isLessThan(deadline);
                Thread.sleep(20);
            }
            t.db.update("CREATE TABLE x (id INTEGER)"); // DDL: through JDBC, not waiting for the pipelined pool
            try {
                PoolBehaviourTest.assertAnswers503DatabaseBusyAfterTheTimeout(
                        () -> t.db.update("INSERT INTO x (id) VALUES (?)", 2));
            } finally {
                holder.join();
            }
            assertThat(t.db.update("INSERT INTO x (id) VALUES (?)", 1)).isEqualTo(1); // free again
        }
    }

    @Test
    void aStatementRefusedWhileTheDatabaseIsMarkedDownIsNeverSent() throws Exception {
        try (TestDatabase direct = TestDatabase.create(Vendor.POSTGRESQL); TcpProxy proxy = TcpProxy.to(5432);
             Database db = Vendor.POSTGRESQL_PIPELINED.client(Database.builder()).url(direct.urlVia(proxy.hostPort()))
                     .loadExternal(false).poolSize(1).acquisitionTimeout(Duration.ofMillis(1000)).build()) {
            direct.db.update("CREATE TABLE note (id INTEGER PRIMARY KEY)");
            assertThat(db.update("INSERT INTO note (id) VALUES (?)", 1)).isEqualTo(1);
            proxy.cut();
            assertThatThrownBy(() -> db.update("INSERT INTO note (id) VALUES (?)", 2))
                    .isInstanceOf(DatabaseUnavailableException.class);
            proxy.restore();
            // marked down: until the next probe (500 ms) calls fail at once, and must not reach the server
            assertThatThrownBy(() -> db.update("INSERT INTO note (id) VALUES (?)", 3))
                    .isInstanceOf(DatabaseUnavailableException.class).hasMessageContaining("retrying in the background");
            assertThat(direct.db.query("SELECT id FROM note ORDER BY id", Integer.class)).containsExactly(1);
        }
    }

    @Test
    void closeStopsEveryVertxThread() throws Exception {
        Set<String> before = vertxThreads();
        try (TestDatabase t = TestDatabase.create(Vendor.POSTGRESQL_PIPELINED)) {
            assertThat(t.db.queryOne("SELECT 1", Integer.class)).contains(1);
            assertThat(vertxThreads()).isNotEmpty();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!before.containsAll(vertxThreads()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(vertxThreads()).isSubsetOf(before);
    }

    private static Set<String> vertxThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("vert.x-") || n.startsWith("vertx-")).collect(Collectors.toSet());
    }

    @Test
    void jdbcUrlParametersAreRefusedRatherThanIgnored() {
        try (TestDatabase t = TestDatabase.create(Vendor.POSTGRESQL)) {
            assertThatThrownBy(() -> Database.builder().url(t.url + "?ApplicationName=x").loadExternal(false)
                    .pgClient(PgClient.PIPELINED).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ApplicationName=x").hasMessageContaining("covet.data.pg-client=jdbc");
        }
    }

    @Test
    void withoutADatabaseInTheUrlBothClientsUseTheOneNamedLikeTheUser() throws Exception {
        String role = "covet_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (TestDatabase admin = TestDatabase.create(Vendor.POSTGRESQL)) {
            admin.db.update("CREATE ROLE " + role + " LOGIN");
            try {
                try (Connection c = admin.db.dataSource().getConnection(); Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + role + " OWNER " + role); // not in a transaction
                }
                try (Database db = Database.builder().url("postgresql://" + role + "@" + TestDatabase.PG_HOST + "/")
                        .loadExternal(false).poolSize(1).pgClient(PgClient.PIPELINED).build()) {
                    assertThat(db.queryOne("SELECT current_database()", String.class)).contains(role);
                    Optional<String> viaJdbc = db.transaction(tx -> tx.queryOne("SELECT current_database()", String.class));
                    assertThat(viaJdbc).contains(role);
                }
            } finally {
                try (Connection c = admin.db.dataSource().getConnection(); Statement st = c.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + role + " WITH (FORCE)");
                    st.execute("DROP ROLE IF EXISTS " + role);
                }
            }
        }
    }

    @Test
    void theClientIsChosenByCovetDataPgClient() {
        try (TestDatabase t = TestDatabase.create(Vendor.POSTGRESQL);
             Database db = Database.builder().url(t.url).environment(Map.of("COVET_DATA_PG_CLIENT", "pipelined",
                     "COVET_DATA_PIPELINING_LIMIT", "64")).build()) {
            assertThat(db.settings().pgClient()).isEqualTo(PgClient.PIPELINED);
            assertThat(db.settings().pipeliningLimit()).isEqualTo(64);
            assertThat(db.queryOne("SELECT ?::int + 1", Integer.class, 41)).contains(42);
        }
        assertThatThrownBy(() -> Database.builder().url("postgresql://postgres@127.0.0.1/x")
                .environment(Map.of("COVET_DATA_PG_CLIENT", "reactive")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("covet.data.pg-client").hasMessageContaining("'jdbc' or 'pipelined'");
    }

    @Test
    void statementsSentInOneBurstShareFlushesAndAreAllAnsweredInOrder() {
        try (TestDatabase jdbc = TestDatabase.create(Vendor.POSTGRESQL);
             Database db = Vendor.POSTGRESQL_PIPELINED.client(Database.builder()).url(jdbc.url)
                     .loadExternal(false).poolSize(2).build()) {
            // 2,000 statements queued at once reach the client's event loop in a few passes, whose flushes are
            // deferred to each pass's end: a flush lost on the way would leave some unanswered (and time out here)
            List<CompletableFuture<Optional<Integer>>> answers = IntStream.range(0, 2_000)
                    .mapToObj(i -> db.async().queryOne("SELECT ?::int", Integer.class, i).toCompletableFuture())
                    .toList();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < answers.size(); i++) {
                    assertThat(answers.get(i).get()).contains(i);
                }
            });
            assertThat(db.pipelined().coalescingConnections()).isBetween(1, 2);
            assertThat(db.pipelined().describe()).contains("flushes coalesced per event-loop pass");
        }
    }
}
