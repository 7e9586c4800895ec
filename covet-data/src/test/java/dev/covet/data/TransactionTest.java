package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransactionTest {

    private static void createAccounts(Database db) {
        db.update("CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
        db.update("INSERT INTO account (id, balance) VALUES (1, 100), (2, 100)");
    }

    private static int balance(Database db, int id) {
        return db.queryOne("SELECT balance FROM account WHERE id = ?", Integer.class, id).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aTransactionCommitsWhenTheWorkReturns(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createAccounts(t.db);
            int moved = t.db.transaction(tx -> {
                tx.update("UPDATE account SET balance = balance - 30 WHERE id = 1");
                tx.update("UPDATE account SET balance = balance + 30 WHERE id = 2");
                return 30;
            });
            assertThat(moved).isEqualTo(30);
            assertThat(balance(t.db, 1)).isEqualTo(70);
            assertThat(balance(t.db, 2)).isEqualTo(130);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anyExceptionRollsTheTransactionBackAndIsRethrown(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createAccounts(t.db);
            assertThatThrownBy(() -> t.db.inTransaction(tx -> {
                tx.update("UPDATE account SET balance = 0 WHERE id = 1");
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(balance(t.db, 1)).isEqualTo(100);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFailedNestedTransactionRollsBackToItsSavepointOnly(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createAccounts(t.db);
            t.db.inTransaction(tx -> {
                tx.update("UPDATE account SET balance = 1 WHERE id = 1");
                assertThatThrownBy(() -> tx.inTransaction(inner -> {
                    inner.update("UPDATE account SET balance = 2 WHERE id = 2");
                    throw new IllegalArgumentException("inner fails");
                })).isInstanceOf(IllegalArgumentException.class);
                // the database object itself joins the transaction on this thread
                assertThat(balance(t.db, 2)).isEqualTo(100);
            });
            assertThat(balance(t.db, 1)).isEqualTo(1);
            assertThat(balance(t.db, 2)).isEqualTo(100);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anIsolationLevelCanBeAsked(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createAccounts(t.db);
            int b = t.db.transaction(Isolation.SERIALIZABLE, tx -> balance(t.db, 1));
            assertThat(b).isEqualTo(100);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"POSTGRESQL", "POSTGRESQL_PIPELINED", "MARIADB"})
    void aDeadlockedTransactionIsRetriedAndSucceeds(Vendor vendor) throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor, b -> b.poolSize(4))) {
            createAccounts(t.db);
            CyclicBarrier bothLocked = new CyclicBarrier(2);
            AtomicInteger attempts = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(2);
            Runnable[] sides = new Runnable[2];
            for (int side = 0; side < 2; side++) {
                int first = side == 0 ? 1 : 2;
                int second = side == 0 ? 2 : 1;
                sides[side] = () -> {
                    try {
                        t.db.transactionWithRetry(Isolation.DEFAULT, 5, tx -> {
                            int attempt = attempts.incrementAndGet();
                            tx.update("UPDATE account SET balance = balance + 1 WHERE id = ?", first);
                            if (attempt <= 2) {
                                bothLocked.await(5, TimeUnit.SECONDS); // both hold one row: a deadlock follows
                            }
                            tx.update("UPDATE account SET balance = balance + 1 WHERE id = ?", second);
                            return null;
                        });
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    } finally {
                        done.countDown();
                    }
                };
            }
            Thread a = Thread.ofVirtual().start(sides[0]);
            Thread b = Thread.ofVirtual().start(sides[1]);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            a.join();
            b.join();
            assertThat(attempts.get()).isGreaterThan(2);
            assertThat(balance(t.db, 1) + balance(t.db, 2)).isEqualTo(204);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void retriesStopAfterTheLastAttemptAndOtherErrorsAreNotRetried(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            createAccounts(t.db);
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> t.db.transactionWithRetry(Isolation.DEFAULT, 3, tx -> {
                attempts.incrementAndGet();
                return tx.update("INSERT INTO account (id, balance) VALUES (1, 0)");
            })).isInstanceOf(DataAccessException.class);
            assertThat(attempts.get()).isEqualTo(1);
        }
    }
}
