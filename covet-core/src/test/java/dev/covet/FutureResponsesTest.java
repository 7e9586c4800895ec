package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ctx.future}: a response that is ready when a stage completes, not when the handler returns. The
 * stages are completed by the tests, from their own thread, so each test decides when (and whether) a
 * response can be sent. One I/O thread, so "the I/O thread moved on" is provable.
 */
class FutureResponsesTest {
    /** Stages handed out by /later/{key}, completed by the tests. */
    private static final Map<String, CompletableFuture<String>> later = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> asked = new ConcurrentHashMap<>();

    static class Declined extends RuntimeException {
        Declined(String message) {
            super(message);
        }
    }

    @RegisterExtension
    static final TestServer server = TestServer.create(config -> config.ioThreads(1), app -> {
        RouteOptions nonBlocking = RouteOptions.create().nonBlocking();
        app.exception(Declined.class, (e, ctx) -> ctx.status(409).text("declined: " + e.getMessage()));
        app.get("/later/{key}", ctx -> ctx.future(stage(ctx.pathParam("key")).thenAccept(ctx::text)), nonBlocking);
        app.get("/later-blocking/{key}", ctx -> ctx.future(stage(ctx.pathParam("key")).thenAccept(ctx::text)));
        app.get("/already", ctx -> ctx.future(CompletableFuture.completedFuture("done").thenAccept(ctx::text)),
                nonBlocking);
        app.get("/throws-after/{key}", ctx -> {
            ctx.future(stage(ctx.pathParam("key")).thenAccept(ctx::text));
            throw new Declined("by the handler");
        }, nonBlocking);
        app.get("/twice", ctx -> {
            ctx.future(CompletableFuture.completedFuture(null));
            ctx.future(CompletableFuture.completedFuture(null));
        }, nonBlocking);
        app.get("/stream-after", ctx -> {
            ctx.future(CompletableFuture.completedFuture(null));
            ctx.output();
        });
    });

    private static CompletableFuture<String> stage(String key) {
        CompletableFuture<String> stage = later.computeIfAbsent(key, k -> new CompletableFuture<>());
        asked.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
        return stage;
    }

    private static CompletableFuture<String> awaitAsked(String key) throws InterruptedException {
        CountDownLatch latch = asked.computeIfAbsent(key, k -> new CountDownLatch(1));
        assertThat(latch.await(5, TimeUnit.SECONDS)).as("the handler for %s ran", key).isTrue();
        return later.get(key);
    }

    @AfterEach
    void completeLeftovers() {
        later.values().forEach(stage -> stage.complete("cleanup"));
        later.clear();
        asked.clear();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    @Test
    void theResponseIsSentWhenTheStageCompletesAndTheIoThreadServesOthersMeanwhile() throws Exception {
        try (RawHttp waiting = server.connect()) {
            waiting.send(get("/later/a"));
            CompletableFuture<String> a = awaitAsked("a");
            // the only I/O thread is free while /later/a is pending: another client gets its answer
            assertThat(server.exchange(TestServer.HEALTH).text()).isEqualTo("ok");
            assertThat(waiting.staysOpenFor(Duration.ofMillis(200))).isTrue();
            a.complete("answer a");
            RawHttp.Response response = waiting.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("answer a");
            assertThat(response.header("content-type")).contains("text/plain; charset=utf-8");
        }
    }

    @Test
    void aStageThatIsAlreadyCompleteAnswersAtOnce() {
        assertThat(server.exchange(get("/already")).text()).isEqualTo("done");
    }

    @Test
    void aFailedStageIsAnsweredLikeAThrownException() throws Exception {
        try (RawHttp client = server.connect()) {
            client.send(get("/later/fail"));
            awaitAsked("fail").completeExceptionally(new Declined("by the stage"));
            RawHttp.Response mapped = client.read();
            assertThat(mapped.status()).isEqualTo(409);
            assertThat(mapped.text()).isEqualTo("declined: by the stage");

            client.send(get("/later/problem"));
            awaitAsked("problem").completeExceptionally(new ProblemException(503, "Database busy"));
            RawHttp.Response problem = client.read();
            assertThat(problem.status()).isEqualTo(503);
            assertThat(problem.header("content-type")).contains("application/problem+json");
            assertThat(problem.text()).contains("Database busy");
        }
        server.assertServesNextClient();
    }

    @Test
    void aHandlerThatThrowsAfterFutureIsAnsweredOnceTheStageIsDone() throws Exception {
        try (RawHttp client = server.connect()) {
            client.send(get("/throws-after/t"));
            CompletableFuture<String> t = awaitAsked("t");
            assertThat(client.staysOpenFor(Duration.ofMillis(200)))
                    .as("no answer while the stage may still touch the response").isTrue();
            t.complete("ignored");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(409);
            assertThat(response.text()).isEqualTo("declined: by the handler");
        }
    }

    @Test
    void pipelinedRequestsBehindAPendingOneKeepTheirOrder() throws Exception {
        try (RawHttp client = server.connect()) {
            client.send(get("/later/p1") + TestServer.HEALTH + get("/later/p2") + TestServer.HEALTH);
            CompletableFuture<String> p1 = awaitAsked("p1");
            assertThat(client.staysOpenFor(Duration.ofMillis(200))).isTrue();
            p1.complete("first");
            assertThat(client.read().text()).isEqualTo("first");
            assertThat(client.read().text()).isEqualTo("ok");
            awaitAsked("p2").complete("third");
            assertThat(client.read().text()).isEqualTo("third");
            assertThat(client.read().text()).isEqualTo("ok");
        }
    }

    @Test
    void onABlockingRouteTheHandlerThreadWaitsForTheStage() throws Exception {
        try (RawHttp client = server.connect()) {
            client.send(get("/later-blocking/b"));
            awaitAsked("b").complete("from a blocking route");
            assertThat(client.read().text()).isEqualTo("from a blocking route");
        }
    }

    @Test
    void aClientThatLeavesBeforeTheStageCompletesCostsNothing() throws Exception {
        try (RawHttp client = server.connect()) {
            client.send(get("/later/gone"));
            awaitAsked("gone");
        }
        Thread.sleep(100); // the server sees the close first
        later.get("gone").complete("nobody reads this"); // written nowhere; its buffer released (leak check after all)
        server.assertServesNextClient();
    }

    @Test
    void misuseIsAnsweredWithAServerError() {
        RawHttp.Response twice = server.exchange(get("/twice"));
        assertThat(twice.status()).isEqualTo(500);
        RawHttp.Response streamAfter = server.exchange(get("/stream-after"));
        assertThat(streamAfter.status()).isEqualTo(500);
        server.assertServesNextClient();
    }
}
