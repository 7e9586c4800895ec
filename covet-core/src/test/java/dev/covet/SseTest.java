package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SseTest {
    private Covet app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private int start(Consumer<CovetConfig> config, Consumer<Covet> routes) {
        app = Covet.create(c -> config.accept(c.port(0).handleSignals(false).loadExternal(false)));
        routes.accept(app);
        app.start();
        return app.port();
    }

    private int start(Consumer<Covet> routes) {
        return start(c -> { }, routes);
    }

    /** Reads the raw response: status line and headers, then the de-chunked event stream to its end. */
    private static RawHttp.Response rawGet(int port, String path, String... headers) {
        try (RawHttp http = RawHttp.connect(port)) {
            return http.exchange("GET", path, headers);
        }
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released in time").isTrue();
    }

    @Nested
    class Events {

        @Test
        void eventsArriveWithEventStreamHeadersAndEachIsFlushedAtOnce() throws Exception {
            CountDownLatch firstRead = new CountDownLatch(1);
            int port = start(a -> a.sse("/events", sse -> {
                sse.send("hello");
                await(firstRead); // the client must see "hello" while the handler still waits here
                sse.send("bye");
            }));

            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/events")).build(), HttpResponse.BodyHandlers.ofLines());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
                assertThat(response.headers().firstValue("cache-control")).contains("no-cache");
                assertThat(response.headers().firstValue("x-accel-buffering")).contains("no");
                Iterator<String> lines = response.body().iterator();
                assertThat(lines.next()).isEqualTo("data: hello");
                assertThat(lines.next()).isEmpty();
                firstRead.countDown();
                assertThat(lines.next()).isEqualTo("data: bye");
                assertThat(lines.next()).isEmpty();
                assertThat(lines.hasNext()).isFalse(); // the handler returned: the stream ended
            }
        }

        @Test
        void aNamedEventCarriesItsIdAndRetry() throws Exception {
            int port = start(a -> a.sse("/events", sse -> {
                sse.event("tick").id("1").retry(Duration.ofSeconds(3)).data("first").send();
                sse.event().id("2").data("unnamed").send();
                sse.event().id("").send(); // resets the browser's last event id, dispatches nothing
            }));

            RawHttp.Response response = rawGet(port, "/events");
            assertThat(response.chunked()).isTrue();
            assertThat(response.text()).isEqualTo("event: tick\nid: 1\nretry: 3000\ndata: first\n\n"
                    + "id: 2\ndata: unnamed\n\n" + "id: \n\n");
        }

        @Test
        void multiLineDataIsSplitIntoOneDataLinePerLine() throws Exception {
            int port = start(a -> a.sse("/events", sse -> {
                sse.send("one\ntwo\r\nthree\rfour");
                sse.send("");
                sse.send("trailing\n");
            }));

            assertThat(rawGet(port, "/events").text()).isEqualTo(
                    "data: one\ndata: two\ndata: three\ndata: four\n\n" + "data: \n\n" + "data: trailing\ndata: \n\n");
        }

        @Test
        void jsonDataIsWrittenOnOneLine() throws Exception {
            record Tick(int n, String text) { }
            int port = start(a -> a.sse("/events", sse -> sse.event("tick").json(new Tick(1, "a\nb")).send()));

            assertThat(rawGet(port, "/events").text()).isEqualTo("event: tick\ndata: {\"n\":1,\"text\":\"a\\nb\"}\n\n");
        }

        @Test
        void commentsAreColonLinesThatClientsIgnore() throws Exception {
            int port = start(a -> a.sse("/events", sse -> {
                sse.comment("keep-alive");
                sse.comment("two\nlines");
            }));

            assertThat(rawGet(port, "/events").text()).isEqualTo(": keep-alive\n: two\n: lines\n");
        }

        @Test
        void lineBreaksInEventNamesAndIdsAreRefused() throws Exception {
            List<String> refused = new CopyOnWriteArrayList<>();
            int port = start(a -> a.sse("/events", sse -> {
                for (Runnable attempt : List.<Runnable>of(
                        () -> sse.event("tick\ndata: injected"),
                        () -> sse.event("tick\r"),
                        () -> sse.event(""),
                        () -> sse.event().id("1\n\ndata: injected"),
                        () -> sse.event().id("nul\0"),
                        () -> sse.event().retry(Duration.ofSeconds(-1)),
                        () -> sse.event("empty").send(),
                        () -> sse.event().send())) {
                    try {
                        attempt.run();
                    } catch (IllegalArgumentException | IllegalStateException e) {
                        refused.add(e.getClass().getSimpleName());
                    }
                }
                sse.send("still fine");
            }));

            // an event with only a name is allowed (browsers just ignore it); nothing else got through
            assertThat(rawGet(port, "/events").text()).isEqualTo("event: empty\n\n" + "data: still fine\n\n");
            assertThat(refused).containsExactly("IllegalArgumentException", "IllegalArgumentException",
                    "IllegalArgumentException", "IllegalArgumentException", "IllegalArgumentException",
                    "IllegalArgumentException", "IllegalStateException");
        }

        @Test
        void theHandlerSeesPathParamsAndTheLastEventId() throws Exception {
            int port = start(a -> a.sse("/rooms/{room}/events", sse -> sse.send(sse.context().pathParam("room")
                    + " after " + sse.lastEventId().orElse("nothing"))));

            assertThat(rawGet(port, "/rooms/lobby/events", "Last-Event-ID: 41").text())
                    .isEqualTo("data: lobby after 41\n\n");
            assertThat(rawGet(port, "/rooms/lobby/events").text()).isEqualTo("data: lobby after nothing\n\n");
        }

        @Test
        void aStreamQuietForLongerThanTheIdleTimeoutIsNotCut() throws Exception {
            int port = start(c -> c.idleTimeout(Duration.ofMillis(200)), a -> a.sse("/events", sse -> {
                sse.send("first");
                Thread.sleep(700);
                sse.send("after a quiet spell");
            }));

            assertThat(rawGet(port, "/events").text()).isEqualTo("data: first\n\n" + "data: after a quiet spell\n\n");
        }

        @Test
        void theConnectionIsReusedAfterAStreamEnds() throws Exception {
            int port = start(a -> a.sse("/events", sse -> sse.send("x")).get("/after", ctx -> ctx.text("after")));

            try (RawHttp http = RawHttp.connect(port)) {
                assertThat(http.exchange("GET", "/events").text()).isEqualTo("data: x\n\n");
                assertThat(http.exchange("GET", "/after").text()).isEqualTo("after");
            }
        }

        @Test
        void aProblemThrownBeforeTheFirstEventBecomesAnErrorResponse() throws Exception {
            int port = start(a -> a.sse("/rooms/{room}", sse -> {
                throw new ProblemException(404, "No room " + sse.context().pathParam("room"));
            }));

            RawHttp.Response response = rawGet(port, "/rooms/nowhere");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("content-type")).contains("application/problem+json");
            assertThat(response.text()).contains("No room nowhere");
        }

        @Test
        void headGetsTheHeadersWithoutRunningTheHandler() throws Exception {
            AtomicBoolean ran = new AtomicBoolean();
            int port = start(a -> a.sse("/events", sse -> ran.set(true)).get("/after", ctx -> ctx.text("after")));

            try (RawHttp http = RawHttp.connect(port)) {
                RawHttp.Response head = http.exchange("HEAD", "/events");
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.header("content-type")).contains("text/event-stream; charset=utf-8");
                assertThat(http.exchange("GET", "/after").text()).isEqualTo("after");
            }
            assertThat(ran).isFalse();
        }
    }

    @Nested
    class Closing {

        @Test
        void aClientDisconnectMakesSendFailEndsTheHandlerAndRunsOnClose() throws Exception {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean openAfter = new AtomicBoolean(true);
            CountDownLatch onClose = new CountDownLatch(1);
            CountDownLatch handlerEnded = new CountDownLatch(1);
            int port = start(a -> a.sse("/events", sse -> {
                sse.onClose(onClose::countDown);
                try {
                    while (true) {
                        sse.send("tick");
                        Thread.sleep(20);
                    }
                } catch (UncheckedIOException e) {
                    thrown.set(e);
                    openAfter.set(sse.isOpen());
                    throw e;
                } finally {
                    handlerEnded.countDown();
                }
            }));

            try (RawHttp http = RawHttp.connect(port)) {
                assertThat(http.request("GET", "/events").readHead().status()).isEqualTo(200);
            }
            await(handlerEnded);
            await(onClose);
            assertThat(thrown.get()).isInstanceOf(UncheckedIOException.class);
            assertThat(openAfter).isFalse();
        }

        @Test
        void awaitCloseReturnsWhenTheClientLeavesWhileOtherThreadsSend() throws Exception {
            List<SseStream> subscribers = new CopyOnWriteArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(1);
            CountDownLatch handlerEnded = new CountDownLatch(1);
            int port = start(a -> a.sse("/chat", sse -> {
                subscribers.add(sse);
                sse.onClose(() -> subscribers.remove(sse));
                subscribed.countDown();
                try {
                    sse.awaitClose();
                } finally {
                    handlerEnded.countDown();
                }
            }));

            try (RawHttp http = RawHttp.connect(port)) {
                RawHttp.Response head = http.request("GET", "/chat").readHead(); // headers come before any event
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.header("transfer-encoding")).contains("chunked");
                await(subscribed);
                for (SseStream subscriber : subscribers) {
                    subscriber.send("broadcast from another thread");
                }
                assertThat(new String(http.readChunk(), StandardCharsets.UTF_8))
                        .isEqualTo("data: broadcast from another thread\n\n");
            }
            await(handlerEnded);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!subscribers.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(subscribers).isEmpty();
        }

        @Test
        void closeFromAnotherThreadEndsTheStreamAndTheResponseCleanly() throws Exception {
            AtomicReference<SseStream> stream = new AtomicReference<>();
            CountDownLatch opened = new CountDownLatch(1);
            AtomicInteger onCloseRuns = new AtomicInteger();
            int port = start(a -> a.sse("/events", sse -> {
                stream.set(sse);
                sse.onClose(onCloseRuns::incrementAndGet);
                opened.countDown();
                sse.awaitClose();
                sse.send("too late"); // throws: the stream is closed; ends the handler quietly
            }).get("/after", ctx -> ctx.text("after")));

            try (RawHttp http = RawHttp.connect(port)) {
                http.request("GET", "/events");
                await(opened);
                stream.get().send("before close");
                stream.get().close();
                RawHttp.Response response = http.read();
                assertThat(response.text()).isEqualTo("data: before close\n\n");
                assertThat(http.exchange("GET", "/after").text()).isEqualTo("after"); // connection kept
            }
            assertThat(stream.get().isOpen()).isFalse();
            Thread.sleep(100);
            assertThat(onCloseRuns).hasValue(1);
            stream.get().onClose(onCloseRuns::incrementAndGet); // registered late: runs at once
            assertThat(onCloseRuns).hasValue(2);
        }

        @Test
        void stoppingTheServerEndsOpenStreamsPromptly() throws Exception {
            CountDownLatch opened = new CountDownLatch(1);
            CountDownLatch handlerEnded = new CountDownLatch(1);
            start(c -> c.shutdownTimeout(Duration.ofSeconds(20)), a -> a.sse("/events", sse -> {
                opened.countDown();
                try {
                    sse.awaitClose();
                } finally {
                    handlerEnded.countDown();
                }
            }));

            try (RawHttp http = RawHttp.connect(app.port())) {
                http.request("GET", "/events");
                await(opened);
                long started = System.nanoTime();
                app.stop();
                app = null;
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
                await(handlerEnded);
                assertThat(http.read().status()).isEqualTo(200); // the stream ended properly...
                assertThat(http.closedByServer()).isTrue();       // ...and the connection was closed

            }
        }
    }

    @Nested
    class Backpressure {

        /** A client that sends its request and then never reads, with a small receive window. */
        private Socket stalledClient(int port, String path) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return socket;
        }

        /** Waits until {@code counter} stops moving for {@code quietMillis}; returns its value then. */
        private long awaitPlateau(LongSupplier counter, long quietMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            long last = -1;
            long stableSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                long now = counter.getAsLong();
                if (now != last) {
                    last = now;
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                    return now;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the sender never blocked; it sent " + counter.getAsLong() + " events");
        }

        @Test
        void aClientThatStopsReadingBlocksTheSenderInsteadOfGrowingTheServerBuffer() throws Exception {
            String payload = "x".repeat(1000);
            AtomicLong sent = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean openAfterFailure = new AtomicBoolean(true);
            CountDownLatch handlerEnded = new CountDownLatch(1);
            int port = start(a -> a.sse("/firehose", sse -> {
                try {
                    while (true) {
                        sse.send(payload);
                        sent.incrementAndGet();
                    }
                } catch (UncheckedIOException e) {
                    failure.set(e);
                    openAfterFailure.set(sse.isOpen());
                } finally {
                    handlerEnded.countDown();
                }
            }));

            Socket client = stalledClient(port, "/firehose");
            try {
                long plateau = awaitPlateau(sent::get, 1000);
                // Blocked, not just slow: nothing moves for another second either.
                Thread.sleep(1000);
                assertThat(sent.get()).isEqualTo(plateau);
                // What left the handler sits in the kernel's socket buffers plus at most Netty's 64 KiB
                // high-water mark and one piece: a few MB at most, however long the client stalls.
                assertThat(plateau * payload.length()).isLessThan(16L * 1024 * 1024);
                assertThat(handlerEnded.getCount()).isEqualTo(1);
            } finally {
                client.close();
            }
            await(handlerEnded); // no leaked virtual thread: the finally block ran
            assertThat(failure.get()).isInstanceOf(UncheckedIOException.class);
            assertThat(openAfterFailure).isFalse();
        }

        @Test
        void aClientThatNeverReadsMakesSendFailAfterTheWriteTimeoutAndIsDisconnected() throws Exception {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch handlerEnded = new CountDownLatch(1);
            int port = start(c -> c.writeTimeout(Duration.ofMillis(500)), a -> a.sse("/firehose", sse -> {
                try {
                    String payload = "y".repeat(1000);
                    while (true) {
                        sse.send(payload);
                    }
                } catch (UncheckedIOException e) {
                    failure.set(e);
                } finally {
                    handlerEnded.countDown();
                }
            }));

            try (Socket client = stalledClient(port, "/firehose")) {
                await(handlerEnded);
                assertThat(failure.get()).hasMessageContaining("did not read");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (app.openConnections() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(app.openConnections()).as("the server closed the stalled connection").isZero();
                assertThat(client.isClosed()).isFalse();
            }
        }
    }
}
