package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Start-up work in the background: the server answers first, routes that need the work answer 503 until it is done. */
class StartupTaskTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aRouteThatNeedsARunningTaskAnswers503WithRetryAfterThen200OnceItIsReady() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Covet app = Covet.create();
        StartupTask<String> greeting = app.startupTask("greeting", () -> {
            release.await();
            return "migrated";
        });
        app.get("/needs-task", ctx -> ctx.text(greeting.get()));
        app.get("/plain", ctx -> ctx.text("up"));
        app.get("/ready", app.readinessHandler());
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/plain").status()).as("routes without the task answer at once").isEqualTo(200);
            TestResponse early = server.get("/needs-task");
            assertThat(early.status()).isEqualTo(503);
            assertThat(early.header("Content-Type")).contains("application/problem+json");
            assertThat(early.header("Retry-After")).contains("1");
            assertThat(early.body()).contains("\"type\":\"" + Problems.STARTING + "\"")
                    .contains("'greeting' is still initializing");
            assertThat(app.readiness().ready()).isFalse();
            assertThat(app.readiness().tasks()).singleElement()
                    .satisfies(s -> assertThat(s.state()).isEqualTo(StartupTask.State.RUNNING));
            TestResponse probe = server.get("/ready");
            assertThat(probe.status()).isEqualTo(503);
            assertThat(probe.header("Retry-After")).contains("1");
            assertThat(probe.body()).contains("\"type\":\"" + Problems.STARTING + "\"")
                    .contains("{\"name\":\"greeting\",\"state\":\"RUNNING\"");

            release.countDown();
            Readiness readiness = app.awaitReady(WAIT);
            assertThat(readiness.ready()).isTrue();
            assertThat(readiness.failed()).isFalse();
            TestResponse later = server.get("/needs-task");
            assertThat(later.status()).isEqualTo(200);
            assertThat(later.body()).isEqualTo("migrated");
            TestResponse ready = server.get("/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body()).startsWith("{\"ready\":true,\"tasks\":[{\"name\":\"greeting\",\"state\":\"READY\"");
        }
    }

    @Test
    void aFailedTaskKeepsItsRoutesAnswering503ForGoodWithoutLeakingTheCause() throws Exception {
        Covet app = Covet.create();
        StartupTask<String> db = app.startupTask("database", () -> {
            throw new IllegalStateException("Migration V2 failed: syntax error near 'SELEKT' (password=hunter2)");
        });
        app.get("/db", ctx -> ctx.text(db.get()));
        app.get("/ready", app.readinessHandler());
        try (TestServer server = TestServer.start(app)) {
            Readiness readiness = app.awaitReady(WAIT);
            assertThat(readiness.ready()).isFalse();
            assertThat(readiness.failed()).isTrue();
            assertThat(readiness.tasks()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(StartupTask.State.FAILED);
                assertThat(s.failure()).hasValueSatisfying(f -> assertThat(f).contains("Migration V2 failed"));
            });
            for (int i = 0; i < 3; i++) {
                TestResponse r = server.get("/db");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("Content-Type")).contains("application/problem+json");
                assertThat(r.header("Retry-After")).as("retrying will not help").isEmpty();
                assertThat(r.body()).contains("\"type\":\"" + Problems.STARTUP_FAILED + "\"")
                        .contains("'database' failed to initialize").doesNotContain("hunter2");
            }
            TestResponse probe = server.get("/ready");
            assertThat(probe.status()).isEqualTo(503);
            assertThat(probe.header("Retry-After")).isEmpty();
            assertThat(probe.body()).contains("\"type\":\"" + Problems.STARTUP_FAILED + "\"")
                    .contains("\"state\":\"FAILED\"").doesNotContain("hunter2");
            assertThatThrownBy(() -> db.await(WAIT)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'database' failed").hasRootCauseMessage(
                            "Migration V2 failed: syntax error near 'SELEKT' (password=hunter2)");
        }
    }

    @Test
    void workThatReturnsNullIsAFailureNotAReadyTask() throws Exception {
        Covet app = Covet.create();
        StartupTask<Object> task = app.startupTask("nothing", () -> null);
        try (TestServer server = TestServer.start(app)) {
            assertThat(app.awaitReady(WAIT).failed()).isTrue();
            assertThat(task.status().failure()).hasValueSatisfying(f -> assertThat(f).contains("returned null"));
        }
    }

    @Test
    void beforeTheServerStartsATaskIsPendingAndGetAnswers503() {
        Covet app = Covet.create();
        StartupTask<String> task = app.startupTask("later", () -> "x");
        assertThat(task.status().state()).isEqualTo(StartupTask.State.PENDING);
        assertThatThrownBy(task::get).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(503);
            assertThat(e.problem().detail()).contains("has not started yet");
            assertThat(e.headers()).containsEntry("Retry-After", "1");
        });
        assertThat(app.readiness().ready()).isFalse();
    }

    @Test
    void tasksCannotBeAddedOnceTheServerRuns() {
        Covet app = Covet.create();
        try (TestServer server = TestServer.start(app)) {
            assertThatThrownBy(() -> app.startupTask("late", () -> "x")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anAppWithoutTasksIsReadyAsSoonAsItListens() throws Exception {
        Covet app = Covet.create();
        assertThat(app.readiness().ready()).isFalse();
        try (TestServer server = TestServer.start(app)) {
            assertThat(app.readiness().ready()).isTrue();
            assertThat(app.awaitReady(WAIT).ready()).isTrue();
        }
    }
}
