package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.Covet;
import dev.covet.testkit.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The login account and limits the benchmark's login-isolation scenario sets through the environment. */
class BenchLoginTest {
    private static final String PASSWORD = "a-long-random-bench-password";

    @Test
    void withoutTheVariablesThereIsNoBenchAccountAndTheDefaultLimitsHold() throws InterruptedException {
        assertThat(SecurityExamples.BenchLogin.fromEnvironment(Map.of())).isEqualTo(SecurityExamples.BenchLogin.NONE);
        try (TestServer server = start(SecurityExamples.BenchLogin.NONE)) {
            assertThat(login(server, PASSWORD)).as("no bench account: the same 401 as a wrong password").isEqualTo(401);
            for (int i = 0; i < 4; i++) {
                login(server, "wrong");
            }
            assertThat(login(server, PASSWORD)).as("the sixth attempt on one account within 15 minutes").isEqualTo(429);
        }
    }

    @Test
    void theBenchAccountLogsInAndTheRaisedLimitLetsMoreAttemptsThrough() throws InterruptedException {
        SecurityExamples.BenchLogin bench = SecurityExamples.BenchLogin.fromEnvironment(
                Map.of(SecurityExamples.BENCH_PASSWORD_ENV, PASSWORD, SecurityExamples.LOGIN_LIMIT_ENV, "1000"));
        assertThat(bench.loginLimit()).contains(1000L);
        try (TestServer server = start(bench)) {
            for (int i = 0; i < 6; i++) {
                assertThat(login(server, "wrong")).as("attempt " + (i + 1)).isEqualTo(401);
            }
            assertThat(login(server, PASSWORD)).isEqualTo(200);
        }
    }

    @Test
    void aShortPasswordOrABadLimitStopsTheStart() {
        assertThatThrownBy(() -> SecurityExamples.BenchLogin.fromEnvironment(Map.of(SecurityExamples.BENCH_PASSWORD_ENV, "short")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> SecurityExamples.BenchLogin.fromEnvironment(Map.of(SecurityExamples.LOGIN_LIMIT_ENV, "0")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("positive whole number");
        assertThatThrownBy(() -> SecurityExamples.BenchLogin.fromEnvironment(Map.of(SecurityExamples.LOGIN_LIMIT_ENV, "lots")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("positive whole number");
    }

    private static TestServer start(SecurityExamples.BenchLogin bench) throws InterruptedException {
        Covet app = Covet.create();
        SecurityExamples.register(app, Optional.empty(), bench);
        TestServer server = TestServer.start(app);
        assertThat(app.awaitReady(Duration.ofSeconds(30)).ready()).as("keys generated").isTrue();
        return server;
    }

    private static int login(TestServer server, String password) {
        return server.postJson("/secure/login", "{\"user\":\"" + SecurityExamples.BENCH_ACCOUNT + "\",\"password\":\"" + password + "\"}")
                .status();
    }
}
