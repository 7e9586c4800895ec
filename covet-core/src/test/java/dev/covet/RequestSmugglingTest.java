package dev.covet;

import static dev.covet.MalformedRequestTest.assertRejectedAndClosed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Message framing (RFC 9112 §6): every request whose body length two parsers could read differently is
 * answered 400 and the connection closed, so no second request can hide in the first one's body.
 * The {@code /smuggled} route counts its calls: a smuggled request must never reach it.
 */
class RequestSmugglingTest {
    @RegisterExtension
    static final TestServer server = TestServer.create();

    private static final String POST = "POST /count HTTP/1.1\r\nHost: test\r\n";

    @BeforeEach
    void resetCounters() {
        server.smuggled.set(0);
        server.counted.set(0);
    }

    static Stream<Arguments> ambiguousFraming() {
        String body = "5\r\nhello\r\n0\r\n\r\n";
        return Stream.of(
                Arguments.of("Content-Length then Transfer-Encoding", POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding then Content-Length", POST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" + body),
                Arguments.of("duplicate Content-Length, same value", POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
                Arguments.of("duplicate Content-Length, different values", POST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                Arguments.of("Content-Length list", POST + "Content-Length: 5, 5\r\n\r\nhello"),
                Arguments.of("non-numeric Content-Length", POST + "Content-Length: five\r\n\r\nhello"),
                Arguments.of("negative Content-Length", POST + "Content-Length: -5\r\n\r\nhello"),
                Arguments.of("Content-Length with a plus sign", POST + "Content-Length: +5\r\n\r\nhello"),
                Arguments.of("hexadecimal Content-Length", POST + "Content-Length: 0x5\r\n\r\nhello"),
                Arguments.of("Content-Length with a decimal point", POST + "Content-Length: 5.0\r\n\r\nhello"),
                Arguments.of("Content-Length with inner space", POST + "Content-Length: 5 5\r\n\r\nhello"),
                Arguments.of("empty Content-Length", POST + "Content-Length: \r\n\r\nhello"),
                Arguments.of("Content-Length beyond a long", POST + "Content-Length: 99999999999999999999999\r\n\r\nhello"),
                Arguments.of("Transfer-Encoding gzip", POST + "Transfer-Encoding: gzip\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding chunked, gzip", POST + "Transfer-Encoding: chunked, gzip\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding gzip, chunked", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding identity", POST + "Transfer-Encoding: identity\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding chunked twice in one header", POST + "Transfer-Encoding: chunked, chunked\r\n\r\n" + body),
                Arguments.of("two Transfer-Encoding headers", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + body),
                Arguments.of("two Transfer-Encoding headers, gzip first", POST + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding xchunked", POST + "Transfer-Encoding: xchunked\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding chunked with a vertical tab", POST + "Transfer-Encoding: \u000bchunked\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding chunked with a trailing comma", POST + "Transfer-Encoding: chunked,\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding chunked with a parameter", POST + "Transfer-Encoding: chunked;q=1\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding name with a space before the colon", POST + "Transfer-Encoding : chunked\r\n\r\n" + body),
                Arguments.of("Transfer-Encoding in HTTP/1.0", "POST /count HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + body),
                Arguments.of("non-hex chunk size", POST + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("negative chunk size", POST + "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunk size with 0x prefix", POST + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("overflowing chunk size", POST + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff1\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("empty chunk size", POST + "Transfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunk data longer than declared", POST + "Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunk data shorter than declared", POST + "Transfer-Encoding: chunked\r\n\r\n7\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunk ended by bare LF", POST + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n"),
                Arguments.of("chunk extension with a control character", POST + "Transfer-Encoding: chunked\r\n\r\n5;a=\u0001\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("malformed trailer", POST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nno colon\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguousFraming")
    void isAnswered400AndClosed(String description, String request) {
        // followed by a request that must never run, wherever a parser might think the first one ended
        assertRejectedAndClosed(server, request + "GET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n", 400);
        assertThat(server.smuggled.get()).as("smuggled requests executed").isZero();
    }

    @Test
    void aMalformedChunkIsNotTakenForTheEndOfTheBody() {
        // regression: a chunk decoding error reached the handler as the body's last part, so the handler
        // ran on a truncated body, answered 200, and the connection then hung with the decoder discarding
        for (String route : new String[] {"/count", "/echo-nb"}) {
            try (RawHttp client = server.connect()) {
                client.send("POST " + route + " HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nhello\r\n0\r\n\r\n");
                RawHttp.Response response = client.read();
                assertThat(response.status()).as(route).isEqualTo(400);
                assertThat(client.closedByServer()).isTrue();
            }
        }
        server.assertServesNextClient();
    }

    @Test
    void theClassicClTePayloadDoesNotSmuggleARequest() {
        // A front end that trusts Content-Length forwards all of it; one that trusts Transfer-Encoding
        // would stop at "0" and run "GET /smuggled" as the next request.
        String smuggled = "GET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n";
        String body = "0\r\n\r\n" + smuggled;
        String request = "POST /count HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
        assertRejectedAndClosed(server, request, 400);
        assertThat(server.smuggled.get()).isZero();
        assertThat(server.counted.get()).isZero();
    }

    @Test
    void theClassicTeClPayloadDoesNotSmuggleARequest() {
        // Here the chunk hides a request from a Content-Length parser that reads only "4\r\n" as the body.
        String smuggled = "GET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n";
        String request = "POST /count HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(smuggled.length()) + "\r\n" + smuggled + "\r\n0\r\n\r\n";
        assertRejectedAndClosed(server, request, 400);
        assertThat(server.smuggled.get()).isZero();
        assertThat(server.counted.get()).isZero();
    }

    @Test
    void anObfuscatedTransferEncodingDoesNotSmuggleARequest() {
        // TE.TE: one parser ignores the odd header and falls back to Content-Length, the other does not.
        String smuggled = "GET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n";
        String request = "POST /count HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n"
                + "Transfer-encoding: x\r\n\r\n" + Integer.toHexString(smuggled.length()) + "\r\n" + smuggled + "\r\n0\r\n\r\n";
        assertRejectedAndClosed(server, request, 400);
        assertThat(server.smuggled.get()).isZero();
    }

    @Test
    void aWellFramedRequestFollowedByAnotherRunsBoth() {
        // the control experiment: the counting routes do count when a second request is legitimate
        try (RawHttp client = server.connect()) {
            client.send(POST + "Content-Length: 5\r\n\r\nhelloGET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("count 1 body 5");
            assertThat(client.read().text()).isEqualTo("smuggled 1");
            assertThat(client.staysOpenFor(Duration.ofMillis(100))).isTrue();
        }
    }

    @Test
    void framingFieldsInATrailerAreIgnored() {
        // RFC 9110 §6.5.1: a trailer must not be merged into the header section; Covet ignores trailers,
        // so Content-Length or Transfer-Encoding there cannot change where the next request starts
        try (RawHttp client = server.connect()) {
            client.send(POST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nContent-Length: 50\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nGET /hello HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("count 1 body 5");
            assertThat(client.read().text()).isEqualTo("hello");
        }
    }

    @Test
    void contentLengthWithSurroundingWhitespaceIsAccepted() {
        // OWS around a field value is not part of it (RFC 9110 §5.5)
        try (RawHttp client = server.connect()) {
            client.send(POST + "Content-Length:   5  \r\n\r\nhello");
            assertThat(client.read().text()).isEqualTo("count 1 body 5");
        }
    }

    @Test
    void chunkedWithDifferentCaseIsAccepted() {
        // transfer-coding names are case-insensitive (RFC 9112 §7)
        try (RawHttp client = server.connect()) {
            client.send(POST + "Transfer-Encoding:  CHUNKED \r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("count 1 body 5");
        }
    }
}
