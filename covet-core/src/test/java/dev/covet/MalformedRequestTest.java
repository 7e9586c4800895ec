package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests that break the syntax of RFC 9112 (request line, header fields, request target, version,
 * method) are answered with a problem response and the connection is closed: after a syntax error the
 * server cannot know where the next request would start. The server keeps serving other clients.
 */
class MalformedRequestTest {
    @RegisterExtension
    static final TestServer server = TestServer.create(config -> config.maxRequestLine(256).maxHeaderSize(1024));

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("request line without a version", "GET /hello\r\nHost: test\r\n\r\n"),
                Arguments.of("request line with only a method", "GET\r\nHost: test\r\n\r\n"),
                Arguments.of("request line with four parts", "GET /hello HTTP/1.1 extra\r\nHost: test\r\n\r\n"),
                Arguments.of("version in lower case", "GET /hello http/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("version with two-digit minor", "GET /hello HTTP/1.10\r\nHost: test\r\n\r\n"),
                Arguments.of("version that is not HTTP", "GET /hello FOO/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("request line that is binary", "\u0001\u0002\u0003 / HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("method with a control character", "GE\u0001T /hello HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("bare LF line ends", "GET /hello HTTP/1.1\nHost: test\n\n"),
                Arguments.of("header line without a colon", "GET /hello HTTP/1.1\r\nHost: test\r\nNoColonHere\r\n\r\n"),
                Arguments.of("space between header name and colon", "GET /hello HTTP/1.1\r\nHost : test\r\n\r\n"),
                Arguments.of("tab between header name and colon", "GET /hello HTTP/1.1\r\nHost: test\r\nX-A\t: b\r\n\r\n"),
                Arguments.of("empty header name", "GET /hello HTTP/1.1\r\nHost: test\r\n: value\r\n\r\n"),
                Arguments.of("header name with a separator", "GET /hello HTTP/1.1\r\nHost: test\r\nX(a): b\r\n\r\n"),
                Arguments.of("obs-fold (line folding) with a space", "GET /hello HTTP/1.1\r\nHost: test\r\nX-A: one\r\n two\r\n\r\n"),
                Arguments.of("obs-fold (line folding) with a tab", "GET /hello HTTP/1.1\r\nHost: test\r\nX-A: one\r\n\ttwo\r\n\r\n"),
                Arguments.of("whitespace before the first header", "GET /hello HTTP/1.1\r\n Host: test\r\n\r\n"),
                Arguments.of("control character in a header value", "GET /hello HTTP/1.1\r\nHost: test\r\nX-A: a\u0001b\r\n\r\n"),
                Arguments.of("bare CR in a header value", "GET /hello HTTP/1.1\r\nHost: test\r\nX-A: a\rb\r\n\r\n"),
                Arguments.of("NUL in a header value", "GET /hello HTTP/1.1\r\nHost: test\r\nX-A: a\u0000b\r\n\r\n"),
                Arguments.of("DEL in a header value", "GET /hello HTTP/1.1\r\nHost: test\r\nX-A: a\u007fb\r\n\r\n"),
                Arguments.of("missing Host in HTTP/1.1", "GET /hello HTTP/1.1\r\n\r\n"),
                Arguments.of("two Host headers", "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of("two Host headers with the same value", "GET /hello HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
                Arguments.of("Host with a space", "GET /hello HTTP/1.1\r\nHost: a b\r\n\r\n"),
                Arguments.of("Host with a slash", "GET /hello HTTP/1.1\r\nHost: a/b\r\n\r\n"),
                Arguments.of("relative request target", "GET hello HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("empty request target", "GET  HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("request target with a fragment", "GET /hello#frag HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("request target with a control character", "GET /he\u0001llo HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("request target with a non-ASCII byte", "GET /h\u00e9llo HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("request target with a quote", "GET /he\"llo HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("request target with a backslash", "GET /he\\llo HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("request target with a bad percent-escape", "GET /he%zzllo HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("request target with a truncated percent-escape", "GET /hello% HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("absolute-form target with an unknown scheme", "GET ftp://test/hello HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("asterisk-form for a method other than OPTIONS", "GET * HTTP/1.1\r\nHost: test\r\n\r\n"),
                Arguments.of("authority-form for a method other than CONNECT", "GET test:80 HTTP/1.1\r\nHost: test\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isAnswered400AndClosed(String description, String request) {
        assertRejectedAndClosed(request, 400);
    }

    @Test
    void anUnknownMethodIsAnswered501() {
        assertRejectedAndClosed("BREW /hello HTTP/1.1\r\nHost: test\r\n\r\n", 501);
    }

    @Test
    void aMethodNameIsCaseSensitive() {
        assertRejectedAndClosed("get /hello HTTP/1.1\r\nHost: test\r\n\r\n", 501);
    }

    @Test
    void http2InTheRequestLineIsAnswered505() {
        assertRejectedAndClosed("GET /hello HTTP/2.0\r\nHost: test\r\n\r\n", 505);
    }

    @Test
    void http0InTheRequestLineIsAnswered505() {
        assertRejectedAndClosed("GET /hello HTTP/0.9\r\nHost: test\r\n\r\n", 505);
    }

    @Test
    void http3InTheRequestLineIsAnswered505() {
        assertRejectedAndClosed("GET /hello HTTP/3.0\r\nHost: test\r\n\r\n", 505);
    }

    @Test
    void aRequestLineOverTheLimitIsAnswered414() {
        assertRejectedAndClosed("GET /" + "a".repeat(400) + " HTTP/1.1\r\nHost: test\r\n\r\n", 414);
    }

    @Test
    void aHeaderBlockOverTheLimitIsAnswered431() {
        assertRejectedAndClosed("GET /hello HTTP/1.1\r\nHost: test\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n", 431);
    }

    @Test
    void manySmallHeadersOverTheLimitAreAnswered431() {
        StringBuilder request = new StringBuilder("GET /hello HTTP/1.1\r\nHost: test\r\n");
        for (int i = 0; i < 100; i++) {
            request.append("X-H").append(i).append(": value\r\n");
        }
        assertRejectedAndClosed(request.append("\r\n").toString(), 431);
    }

    @Test
    void aHeaderBlockOverTheLimitIsAnswered431EvenBeforeItEnds() {
        try (RawHttp client = server.connect()) {
            client.send("GET /hello HTTP/1.1\r\nHost: test\r\nX-Big: " + "a".repeat(2000)); // no end of line yet
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(431);
            assertThat(client.closedByServer()).isTrue();
        }
        server.assertServesNextClient();
    }

    @Test
    void http10WithoutHostIsAccepted() {
        RawHttp.Response response = server.exchange("GET /hello HTTP/1.0\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void aHeaderValueWithTabsAndObsTextIsAccepted() {
        RawHttp.Response response = server.exchange("GET /hello HTTP/1.1\r\nHost: test\r\nX-A: a\tb \u00e9\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void optionsWithAsteriskFormIsAnsweredWithEveryMethod() {
        RawHttp.Response response = server.exchange("OPTIONS * HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Allow")).contains("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    }

    /** (a) the status, (b) a problem body, (c) the connection closed, (d) the next client still served. */
    static void assertRejectedAndClosed(String request, int status) {
        assertRejectedAndClosed(server, request, status);
    }

    static void assertRejectedAndClosed(TestServer server, String request, int status) {
        try (RawHttp client = server.connect()) {
            client.sendQuietly(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            RawHttp.Response response = client.read();
            assertThat(response.status()).as("status of %s", response).isEqualTo(status);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(response.text()).contains("\"status\":" + status);
            assertThat(response.header("Connection")).contains("close");
            assertThat(client.closedByServer()).as("connection closed after %s", status).isTrue();
        }
        server.assertServesNextClient();
    }
}
