package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A body over the route's limit ({@code RouteOptions.maxBodySize}, default {@code covet.max-body-size})
 * is answered 413 before it is read in full: at once when Content-Length declares it, as soon as the
 * limit is crossed when it is chunked. Either way the connection is closed, since the rest of the body
 * is still on its way.
 */
class RequestBodyLimitTest {
    @RegisterExtension
    static final TestServer server = TestServer.create();

    @ParameterizedTest
    @ValueSource(strings = {"/small", "/small-nb"})
    void aDeclaredContentLengthOverTheLimitIsAnswered413WithoutReadingTheBody(String route) {
        try (RawHttp client = server.connect()) {
            // only the header block is sent: the answer must not wait for the 10 MB that are declared
            client.send("POST " + route + " HTTP/1.1\r\nHost: test\r\nContent-Length: 10000000\r\n\r\n");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(client.closedByServer()).isTrue();
        }
        server.assertServesNextClient();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/small", "/small-nb"})
    void aChunkedBodyGrowingPastTheLimitIsAnswered413AndClosed(String route) {
        try (RawHttp client = server.connect()) {
            client.send("POST " + route + " HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n");
            // the body has not ended (no last chunk): the server answers anyway
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(client.closedByServer()).isTrue();
        }
        server.assertServesNextClient();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/small", "/small-nb"})
    void aBodyExactlyAtTheLimitIsAccepted(String route) {
        try (RawHttp client = server.connect()) {
            client.send("POST " + route + " HTTP/1.1\r\nHost: test\r\nContent-Length: 16\r\n\r\n0123456789abcdef");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("0123456789abcdef");
            client.send("POST " + route + " HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "8\r\n01234567\r\n8\r\n89abcdef\r\n0\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("0123456789abcdef");
            assertThat(client.staysOpenFor(Duration.ofMillis(100))).isTrue();
        }
    }

    @Test
    void aLargeChunkedBodyUnderTheDefaultLimitStreamsThrough() {
        int size = 3 * 1024 * 1024;
        StringBuilder request = new StringBuilder("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "x".repeat(64 * 1024);
        for (int sent = 0; sent < size; sent += chunk.length()) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");
        try (RawHttp client = server.connect()) {
            Thread writer = Thread.ofVirtual().start(() -> client.send(request.toString()));
            RawHttp.Response response = client.timeout(Duration.ofSeconds(20)).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).hasSize(size);
            writer.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
