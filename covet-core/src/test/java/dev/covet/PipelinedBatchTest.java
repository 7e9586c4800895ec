package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pipelined requests for blocking routes are handled by one virtual thread per batch (ADR 0001): these
 * tests prove that the batch keeps HTTP/1.1's promises: responses in request order, a streaming
 * response in its place, a failure that ends the connection without answering what came after it.
 */
class PipelinedBatchTest {
    private static final Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();

    @RegisterExtension
    static final TestServer server = TestServer.create(config -> { }, app -> {
        app.get("/n/{i:int}", ctx -> {
            handlerThreads.add(Thread.currentThread());
            int i = ctx.pathParamAsInt("i");
            if (i % 4 == 1) {
                Thread.sleep(3); // a handler that blocks must not let a later response overtake it
            }
            ctx.text("n" + i);
        });
        app.get("/chunks/{i:int}", ctx -> {
            OutputStream out = ctx.output();
            for (int part = 0; part < 3; part++) {
                out.write(("c" + ctx.pathParam("i") + "." + part + ";").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        });
        app.get("/broken-stream", ctx -> {
            OutputStream out = ctx.output();
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            out.flush();
            throw new IllegalStateException("fails after the status line went out");
        });
        app.get("/fails", ctx -> {
            throw new IllegalStateException("boom");
        });
    });

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    @Test
    void manyPipelinedRequestsAreAnsweredInOrderByFewerThreadsThanRequests() {
        handlerThreads.clear();
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            requests.append(get("/n/" + i));
        }
        try (RawHttp client = server.connect()) {
            client.send(requests.toString());
            for (int i = 0; i < 64; i++) {
                RawHttp.Response response = client.read();
                assertThat(response.status()).as("response %d", i).isEqualTo(200);
                assertThat(response.text()).as("response %d", i).isEqualTo("n" + i);
            }
            assertThat(client.staysOpenFor(Duration.ofMillis(100))).isTrue();
        }
        // one virtual thread per request would make 64; batches make far fewer
        assertThat(handlerThreads).hasSizeLessThan(64 / 2);
    }

    @Test
    void aStreamingResponseInTheMiddleOfABatchKeepsItsPlace() {
        List<String> expected = new ArrayList<>();
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if (i % 5 == 3) {
                requests.append(get("/chunks/" + i));
                expected.add("c" + i + ".0;c" + i + ".1;c" + i + ".2;");
            } else {
                requests.append(get("/n/" + i));
                expected.add("n" + i);
            }
        }
        try (RawHttp client = server.connect()) {
            client.send(requests.toString());
            for (int i = 0; i < expected.size(); i++) {
                RawHttp.Response response = client.read();
                assertThat(response.status()).as("response %d", i).isEqualTo(200);
                assertThat(response.text()).as("response %d", i).isEqualTo(expected.get(i));
            }
            assertThat(client.staysOpenFor(Duration.ofMillis(100))).isTrue();
        }
    }

    @Test
    void aHandlerErrorInABatchIsAnsweredInItsPlaceAndTheRestStillRun() {
        try (RawHttp client = server.connect()) {
            client.send(get("/n/0") + get("/n/1") + get("/fails") + get("/n/3") + get("/n/4"));
            assertThat(client.read().text()).isEqualTo("n0");
            assertThat(client.read().text()).isEqualTo("n1");
            RawHttp.Response failed = client.read();
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.header("Content-Type")).contains("application/problem+json");
            assertThat(client.read().text()).isEqualTo("n3");
            assertThat(client.read().text()).isEqualTo("n4");
        }
    }

    @Test
    void aStreamThatFailsMidwayClosesTheConnectionAfterTheResponsesBeforeIt() {
        try (RawHttp client = server.connect()) {
            client.send(get("/n/0") + get("/n/1") + get("/broken-stream") + get("/n/3") + get("/n/4"));
            assertThat(client.read().text()).isEqualTo("n0");
            assertThat(client.read().text()).isEqualTo("n1");
            // the chunked response starts, is cut short by closing, and nothing follows it
            assertThatThrownBy(client::read).hasMessageContaining("closed in the middle of a response");
            assertThat(client.closedByServer()).isTrue();
        }
        server.assertServesNextClient();
    }

    @Test
    void aBatchStopsAtARequestWithABodyAndAtAMalformedOne() {
        String body = "payload";
        try (RawHttp client = server.connect()) {
            client.send(get("/n/0") + get("/n/1") + get("/n/2")
                    + "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                    + get("/n/4") + get("/n/5")
                    + "GET /n/6 HTTP/1.1\r\n\r\n" // no Host: 400 and close, after everything before it
                    + get("/n/7"));
            for (String expected : List.of("n0", "n1", "n2", body, "n4", "n5")) {
                RawHttp.Response response = client.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.text()).isEqualTo(expected);
            }
            RawHttp.Response missingHost = client.read();
            assertThat(missingHost.status()).isEqualTo(400);
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
