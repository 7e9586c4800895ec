package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingTest {
    private static final int FIVE_MB = 5 * 1024 * 1024;

    private Covet app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private int start(java.util.function.Consumer<Covet> routes) {
        app = Covet.create(c -> c.port(0).handleSignals(false).loadExternal(false));
        routes.accept(app);
        app.start();
        return app.port();
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 251); // a prime period, so a lost or repeated piece shows
        }
        return bytes;
    }

    private static void writeInPieces(OutputStream out, byte[] bytes) throws Exception {
        int offset = 0;
        int piece = 1;
        while (offset < bytes.length) {
            int n = Math.min(piece, bytes.length - offset);
            out.write(bytes, offset, n);
            offset += n;
            piece = piece * 3 % 70_001 + 1; // uneven sizes: some below the buffer, some far above
        }
    }

    @Test
    void outputWritingFiveMegabytesInPiecesArrivesIntactAndChunked() throws Exception {
        byte[] expected = pattern(FIVE_MB);
        int port = start(a -> a.get("/big", ctx -> {
            ctx.contentType("application/octet-stream");
            writeInPieces(ctx.output(), expected);
        }));

        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response response = http.exchange("GET", "/big");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.chunked()).isTrue();
            assertThat(response.header("content-length")).isEmpty();
            assertThat(response.body()).isEqualTo(expected);
        }
    }

    @Test
    void theJdkClientReadsAStreamedBodyIntact() throws Exception {
        byte[] expected = pattern(FIVE_MB);
        int port = start(a -> a.get("/big", ctx -> writeInPieces(ctx.output(), expected)));

        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/big"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(expected);
        }
    }

    @Test
    void streamSendsAnInputStreamChunkedAndClosesIt() throws Exception {
        byte[] expected = pattern(FIVE_MB);
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        int port = start(a -> a.get("/stream", ctx -> ctx.stream(new ByteArrayInputStream(expected) {
            @Override
            public void close() {
                closed.set(true);
            }
        })));

        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response response = http.exchange("GET", "/stream");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.chunked()).isTrue();
            assertThat(response.header("content-type")).contains("application/octet-stream");
            assertThat(response.body()).isEqualTo(expected);
        }
        assertThat(closed).isTrue();
    }

    @Test
    void headOnAStreamingRouteGetsHeadersAndNoBody() throws Exception {
        int port = start(a -> {
            a.get("/out", ctx -> ctx.output().write(pattern(100_000)));
            a.get("/stream", ctx -> ctx.stream(new ByteArrayInputStream(pattern(100_000))));
        });

        try (RawHttp http = RawHttp.connect(port)) {
            for (String path : new String[] {"/out", "/stream"}) {
                RawHttp.Response head = http.exchange("HEAD", path);
                assertThat(head.status()).isEqualTo(200);
                // the connection stays usable: the next response starts right where the headers ended
                RawHttp.Response get = http.exchange("GET", path);
                assertThat(get.status()).isEqualTo(200);
                assertThat(get.body()).isEqualTo(pattern(100_000));
            }
            http.exchange("HEAD", "/out");
            assertThat(http.staysOpenFor(Duration.ofMillis(300))).as("no body after the HEAD response").isTrue();
        }
    }

    @Test
    void aContentLengthSetBeforeWritingSendsTheBodyWithThatLengthInsteadOfChunked() throws Exception {
        byte[] expected = pattern(300_000);
        int port = start(a -> a.get("/sized", ctx -> {
            ctx.header("Content-Length", String.valueOf(expected.length));
            writeInPieces(ctx.output(), expected);
        }));

        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response response = http.exchange("GET", "/sized");
            assertThat(response.chunked()).isFalse();
            assertThat(response.header("transfer-encoding")).isEmpty();
            assertThat(response.header("content-length")).contains("300000");
            assertThat(response.body()).isEqualTo(expected);
            // and the connection is still good for the next request
            assertThat(http.exchange("GET", "/sized").body()).isEqualTo(expected);
        }
    }

    @Test
    void writingFewerBytesThanTheDeclaredContentLengthClosesTheConnection() throws Exception {
        int port = start(a -> a.get("/short", ctx -> {
            ctx.header("Content-Length", "1000");
            ctx.output().write(pattern(10));
        }));

        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response head = http.request("GET", "/short").readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).contains("1000");
            assertThat(head.header("transfer-encoding")).isEmpty();
            // the 10 bytes that were written, then the server closes: the client is not left waiting for 990 more
            assertThat(http.input().readAllBytes()).isEqualTo(pattern(10));
        }
    }

    @Test
    void anHttp10ClientGetsAStreamedBodyUnframedAndTheConnectionClosed() throws Exception {
        byte[] expected = pattern(50_000);
        int port = start(a -> a.get("/out", ctx -> ctx.output().write(expected)));

        try (RawHttp http = RawHttp.connect(port)) {
            http.send("GET /out HTTP/1.0\r\n\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("transfer-encoding")).isEmpty();
            assertThat(response.body()).isEqualTo(expected); // read until the server closed
        }
    }
}
