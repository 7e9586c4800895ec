package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.Covet;
import dev.covet.testkit.TcpProxy;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PoolBehaviourTest {

    // The pipelined client's own exhaustion test is PipelinedPostgresTest; here the JDBC pool is exhausted
    // by a transaction, which the pipelined vendor's statements outside transactions would not wait for.
    @ParameterizedTest
    @EnumSource(value = Vendor.class, mode = EnumSource.Mode.EXCLUDE, names = "POSTGRESQL_PIPELINED")
    void anExhaustedPoolAnswers503DatabaseBusyAfterTheAcquisitionTimeout(Vendor vendor) throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor, b -> b.poolSize(1).acquisitionTimeout(Duration.ofMillis(300)))) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // On SQLite the writer is the single connection to exhaust; elsewhere the pool has one.
            Thread holder = Thread.ofVirtual().start(() -> t.db.inTransaction(tx -> {
                holding.countDown();
                release.await(10, TimeUnit.SECONDS);
            }));
            holding.await();
            try {
                assertAnswers503DatabaseBusyAfterTheTimeout(() -> t.db.update("CREATE TABLE IF NOT EXISTS x (id INTEGER)"));
                assertThat(t.db.poolStats().active()).isGreaterThanOrEqualTo(1);
            } finally {
                release.countDown();
                holder.join();
            }
            assertThat(t.db.poolStats().acquisitions()).isGreaterThanOrEqualTo(2);
        }
    }

    /** A route running {@code statement} answers 503 database-busy problem+json, after 250 ms to 5 s. */
    static void assertAnswers503DatabaseBusyAfterTheTimeout(IntSupplier statement) throws Exception {
        Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false));
        app.get("/write", ctx -> ctx.text("" + statement.getAsInt()));
        try (TestServer server = TestServer.start(app)) {
            long start = System.nanoTime();
            TestResponse response = server.get("/write");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
            assertThat(response.body()).contains(DatabaseBusyException.TYPE);
            assertThat(tookMs).isBetween(250L, 5_000L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"POSTGRESQL", "POSTGRESQL_PIPELINED", "MARIADB"})
    void anUnreachableDatabaseFailsFastWith503AndRecoversByItself(Vendor vendor) throws Exception {
        try (TestDatabase direct = TestDatabase.create(vendor); TcpProxy proxy = TcpProxy.to(TestDatabase.serverPort(vendor));
             Database db = vendor.client(Database.builder()).url(direct.urlVia(proxy.hostPort())).loadExternal(false)
                     .poolSize(2).acquisitionTimeout(Duration.ofMillis(1000)).build()) {
            assertThat(db.queryOne("SELECT 1", Integer.class)).contains(1);

            proxy.cut();
            assertThatThrownBy(() -> db.queryOne("SELECT 1", Integer.class))
                    .isInstanceOfSatisfying(DatabaseUnavailableException.class, e -> {
                        assertThat(e.problem().status()).isEqualTo(503);
                        assertThat(e.problem().type()).isEqualTo(DatabaseUnavailableException.TYPE);
                    });
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> db.queryOne("SELECT 1", Integer.class))
                        .isInstanceOf(DatabaseUnavailableException.class);
            }
            // 20 calls during the outage cost far less than one acquisition timeout each
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);

            proxy.restore();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            Integer answer = null;
            while (answer == null && System.nanoTime() < deadline) {
                try {
                    answer = db.queryOne("SELECT 1", Integer.class).orElseThrow();
                } catch (DatabaseUnavailableException | DatabaseBusyException stillDown) {
                    Thread.sleep(100);
                }
            }
            assertThat(answer).isEqualTo(1);
        }
    }

    // JDBC pool figures: the pipelined vendor's queryOne does not take a JDBC connection.
    @ParameterizedTest
    @EnumSource(value = Vendor.class, mode = EnumSource.Mode.EXCLUDE, names = "POSTGRESQL_PIPELINED")
    void poolFiguresAreReadable(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            t.db.queryOne("SELECT 1", Integer.class);
            PoolStats stats = t.db.poolStats();
            assertThat(stats.total()).isGreaterThanOrEqualTo(1);
            assertThat(stats.active()).isZero();
            assertThat(stats.waiting()).isZero();
            assertThat(stats.acquisitions()).isGreaterThanOrEqualTo(1);
            assertThat(stats.maxAcquisition()).isGreaterThanOrEqualTo(stats.meanAcquisition());
        }
    }
}
