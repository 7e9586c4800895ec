package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTP/1.1 as RFC 9110 and RFC 9112 describe it, over raw sockets: the behaviour a correct client relies on. */
class HttpProtocolTest {
    @RegisterExtension
    static final TestServer server = TestServer.create(config -> config.maxBodySize(1024));

    @Test
    void aKeepAliveConnectionServesSeveralRequestsInTurn() {
        try (RawHttp client = server.connect()) {
            for (int i = 0; i < 5; i++) {
                RawHttp.Response response = client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.text()).isEqualTo("hello");
                assertThat(response.header("Connection")).isEmpty();
            }
            assertThat(client.staysOpenFor(Duration.ofMillis(200))).isTrue();
        }
    }

    @Test
    void connectionCloseFromTheClientIsAnsweredAndTheConnectionClosed() {
        try (RawHttp client = server.connect()) {
            RawHttp.Response response = client.send("GET /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).contains("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void anHttp10ClientIsNotKeptAliveByDefault() {
        try (RawHttp client = server.connect()) {
            RawHttp.Response response = client.send("GET /hello HTTP/1.0\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void anHttp10ClientThatAsksForKeepAliveIsKeptAlive() {
        try (RawHttp client = server.connect()) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response response = client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("keep-alive"));
            }
            assertThat(client.staysOpenFor(Duration.ofMillis(200))).isTrue();
        }
    }

    @Test
    void anHttp10ClientGetsAStreamedBodyDelimitedByClose() {
        // regression: HTTP/1.0 clients were sent Transfer-Encoding: chunked, which RFC 9112 §6.1 forbids
        try (RawHttp client = server.connect()) {
            RawHttp.Response response = client.send("GET /stream HTTP/1.0\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.chunked()).isFalse(); // chunked is not HTTP/1.0
            assertThat(response.text()).isEqualTo("one,two,three");
        }
    }

    @Test
    void twentyPipelinedRequestsInOneWriteAreAnsweredInOrder() {
        StringBuilder requests = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i % 3 == 0) {
                String body = "body-" + i;
                requests.append("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: ").append(body.length())
                        .append("\r\n\r\n").append(body);
                expected.add(body);
            } else if (i % 3 == 1) {
                String body = "nb-" + i;
                requests.append("POST /echo-nb HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .append(Integer.toHexString(body.length())).append("\r\n").append(body).append("\r\n0\r\n\r\n");
                expected.add(body);
            } else {
                requests.append("GET /hello?i=").append(i).append(" HTTP/1.1\r\nHost: test\r\n\r\n");
                expected.add("hello");
            }
        }
        try (RawHttp client = server.connect()) {
            client.send(requests.toString());
            for (int i = 0; i < 20; i++) {
                RawHttp.Response response = client.read();
                assertThat(response.status()).as("response %d", i).isEqualTo(200);
                assertThat(response.text()).as("response %d", i).isEqualTo(expected.get(i));
            }
            assertThat(client.staysOpenFor(Duration.ofMillis(200))).isTrue();
        }
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestsGetsEveryAnswerThenTheClose() {
        // e.g. `printf 'GET ...' | nc -N`: the requests, then the end of the client's stream
        for (int attempt = 0; attempt < 20; attempt++) { // the end of stream races the handlers: repeat
            try (RawHttp client = server.connect()) {
                client.send("GET /stream HTTP/1.1\r\nHost: test\r\n\r\n"
                        + "GET /hello HTTP/1.1\r\nHost: test\r\n\r\n"
                        + "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nbody");
                client.shutdownOutput();
                assertThat(client.read().text()).isEqualTo("one,two,three");
                assertThat(client.read().text()).isEqualTo("hello");
                // Connection: close on the last one only if the end of stream arrived before it was sent;
                // either way the server closes once it has answered everything
                assertThat(client.read().text()).isEqualTo("body");
                assertThat(client.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void aClientThatHalfClosesInTheMiddleOfABodyGets400AndTheClose() {
        try (RawHttp client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nabc");
            client.shutdownOutput();
            assertThat(client.read().status()).isEqualTo(400);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aChunkedRequestBodyIsReassembled() {
        for (String route : List.of("/echo", "/echo-nb")) {
            RawHttp.Response response = server.exchange("POST " + route + " HTTP/1.1\r\nHost: test\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello, world");
        }
    }

    @Test
    void chunkExtensionsAndTrailersAreAcceptedAndIgnored() {
        try (RawHttp client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n3 ; quoted=\"a;b\"\r\nabc\r\n0;last\r\nX-Checksum: 42\r\nX-Other: yes\r\n\r\n");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("helloabc");
            // the connection is still in step: the next request is read from the right place
            assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().text()).isEqualTo("hello");
        }
    }

    @Test
    void aStreamedResponseIsSentChunked() {
        try (RawHttp client = server.connect()) {
            RawHttp.Response response = client.send("GET /stream HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.chunked()).isTrue();
            assertThat(response.header("Content-Length")).isEmpty();
            assertThat(response.text()).isEqualTo("one,two,three");
            assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().text()).isEqualTo("hello");
        }
    }

    @Test
    void expectContinueGetsAnInterim100ThenTheFinalResponse() {
        try (RawHttp client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response interim = client.read();
            assertThat(interim.status()).isEqualTo(100);
            client.send("hello");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello");
        }
    }

    @Test
    void expectContinueWithATooLargeBodyIsAnswered413Without100() {
        try (RawHttp client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(client.closedByServer()).isTrue();
        }
        server.assertServesNextClient();
    }

    @Test
    void anUnknownExpectationIsAnswered417() {
        try (RawHttp client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: teapot\r\n\r\nhello");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(417);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(client.closedByServer()).isTrue();
        }
        server.assertServesNextClient();
    }

    @Test
    void headHasNoBodyButTheSameContentLengthAsGet() {
        try (RawHttp client = server.connect()) {
            RawHttp.Response get = client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read();
            RawHttp.Response head = client.send("HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length")).contains("5");
            assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
            // had HEAD carried a body, it would be read here as the start of the next response
            RawHttp.Response next = client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.text()).isEqualTo("hello");
        }
    }

    @Test
    void headOfAStreamedResponseHasNoBody() {
        try (RawHttp client = server.connect()) {
            RawHttp.Response head = client.send("HEAD /stream HTTP/1.1\r\nHost: test\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            RawHttp.Response next = client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertThat(next.text()).isEqualTo("hello");
        }
    }

    @Test
    void optionsIsAnsweredAutomaticallyWithAllow() {
        RawHttp.Response response = server.exchange("OPTIONS /resource HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Allow")).contains("GET, HEAD, PUT, OPTIONS");
    }

    @Test
    void aMethodTheRouteDoesNotHaveIsAnswered405WithAllow() {
        try (RawHttp client = server.connect()) {
            RawHttp.Response response = client.send("DELETE /resource HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("Allow")).contains("GET, HEAD, PUT, OPTIONS");
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            // a 405 is not a framing error: the connection stays usable
            assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void anUnknownPathIsAnswered404AndTheConnectionStaysUsable() {
        try (RawHttp client = server.connect()) {
            RawHttp.Response response = client.send("GET /nowhere HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void anAbsoluteFormTargetIsRoutedByItsPath() {
        RawHttp.Response response = server.exchange("GET http://test/hello HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("hello");
    }

    @Test
    void anHttp1MinorVersionAbove1IsServedAsHttp11() {
        // RFC 9110 §6.2: a recipient SHOULD process a higher minor version as the highest it implements
        RawHttp.Response response = server.exchange("GET /hello HTTP/1.2\r\nHost: test\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("hello");
    }

    @Test
    void emptyLinesBeforeARequestLineAreIgnored() {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF) received before the request-line
        RawHttp.Response response = server.exchange("\r\n\r\nGET /hello HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void theDateHeaderFollowsTheClock() throws InterruptedException {
        // RFC 9110 §6.6.1: an origin server with a clock sends Date, the time the response was generated.
        // The value is refreshed every 100 ms (DateHeader), so it may trail the clock by that, plus
        // scheduling delay on a loaded machine: allow a second.
        Instant first = date(server.exchange("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n"));
        assertThat(first).isBetween(Instant.now().minusSeconds(2), Instant.now());
        Instant later = first;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!later.isAfter(first) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            later = date(server.exchange("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n"));
        }
        assertThat(later).isAfter(first).isBetween(Instant.now().minusSeconds(2), Instant.now());
    }

    private static Instant date(RawHttp.Response response) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.parse(response.header("Date").orElseThrow(), Instant::from);
    }
}
