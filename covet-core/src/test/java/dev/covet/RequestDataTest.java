package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestDataTest {
    @TempDir
    Path temp;

    @Test
    void queryParametersHeadersAndCookiesAreReadable() {
        Covet app = Covet.create();
        app.get("/echo", ctx -> ctx.json(Map.of(
                "q", ctx.queryParam("q").orElse("-"),
                "tags", ctx.queryParams("tag"),
                "missing", ctx.queryParam("missing").isPresent(),
                "agent", ctx.header("X-Agent").orElse("-"),
                "session", ctx.cookie("session").orElse("-"))));
        try (TestServer server = TestServer.start(app)) {
            TestResponse response = server.send(server.request("/echo?q=caf%C3%A9+au+lait&tag=a&tag=b")
                    .header("X-Agent", "test").header("Cookie", "theme=dark; session=s3cr3t").GET());
            assertThat(response.body()).contains("\"q\":\"café au lait\"").contains("\"tags\":[\"a\",\"b\"]")
                    .contains("\"missing\":false").contains("\"agent\":\"test\"").contains("\"session\":\"s3cr3t\"");
        }
    }

    @Test
    void urlEncodedFormsAreParsed() {
        Covet app = Covet.create();
        app.post("/form", ctx -> ctx.text(ctx.formParam("name").orElse("?") + "/" + ctx.formParams("color")));
        try (TestServer server = TestServer.start(app)) {
            TestResponse response = server.post("/form", "application/x-www-form-urlencoded",
                    "name=J%C3%BCrgen&color=red&color=blue".getBytes(StandardCharsets.UTF_8));
            assertThat(response.body()).isEqualTo("Jürgen/[red, blue]");
        }
    }

    @Test
    void multipartUploadsAreParsedAndLargeFilesSpoolToDiskThenAreDeleted() throws Exception {
        byte[] small = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] large = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(large);
        Path spool = Files.createDirectory(temp.resolve("spool"));
        AtomicReference<String> seenDuringRequest = new AtomicReference<>();
        Covet app = Covet.create(c -> c.multipartMemoryThreshold(16 * 1024).tempDir(spool));
        app.post("/upload", ctx -> {
            UploadedFile big = ctx.uploadedFile("big").orElseThrow();
            UploadedFile note = ctx.uploadedFile("note").orElseThrow();
            try (Stream<Path> files = Files.list(spool)) {
                seenDuringRequest.set(files.count() + " spooled");
            }
            ctx.json(Map.of("title", ctx.formParam("title").orElse("?"),
                    "big", big.fileName().orElse("?") + ":" + big.size() + ":" + sha256(big.open()),
                    "note", note.fileName().orElse("?") + ":" + new String(note.open().readAllBytes(), StandardCharsets.UTF_8),
                    "type", note.contentType()));
        });
        try (TestServer server = TestServer.start(app)) {
            String boundary = "----covet" + System.nanoTime();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"; filename=\"../../etc/n.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(small);
            body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"big\"; filename=\"big.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(large);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            TestResponse response = server.post("/upload", "multipart/form-data; boundary=" + boundary, body.toByteArray());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"title\":\"Holiday\"")
                    .contains("\"big\":\"big.bin:" + large.length + ":" + sha256(new java.io.ByteArrayInputStream(large)) + "\"")
                    .contains("\"note\":\"n.txt:hello\"")
                    .contains("\"type\":\"text/plain\"");
            assertThat(seenDuringRequest.get()).isEqualTo("1 spooled");
            try (Stream<Path> files = Files.list(spool)) {
                assertThat(files).as("spooled upload deleted after the request").isEmpty();
            }
        }
    }

    @Test
    void aLargeBodyStreamsThroughAnInputStreamIntact() throws Exception {
        byte[] payload = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        Covet app = Covet.create();
        app.post("/digest", ctx -> ctx.text(sha256(ctx.bodyAsInputStream())));
        try (TestServer server = TestServer.start(app)) {
            TestResponse response = server.post("/digest", "application/octet-stream", payload);
            assertThat(response.body()).isEqualTo(sha256(new java.io.ByteArrayInputStream(payload)));
        }
    }

    @Test
    void aBodyOverTheRouteLimitIs413() {
        Covet app = Covet.create();
        app.post("/small", ctx -> ctx.text("" + ctx.bodyAsBytes().length), RouteOptions.create().maxBodySize(100));
        app.post("/default", ctx -> ctx.text("" + ctx.bodyAsBytes().length));
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.post("/small", "text/plain", new byte[100]).body()).isEqualTo("100");
            TestResponse tooBig = server.post("/small", "text/plain", new byte[101]);
            assertThat(tooBig.status()).isEqualTo(413);
            assertThat(tooBig.body()).contains("urn:covet:problem:body-too-large");
            assertThat(server.post("/default", "text/plain", new byte[101]).body()).isEqualTo("101");
        }
    }

    @Test
    void nonBlockingRoutesGetTheirBodyAggregated() {
        Covet app = Covet.create();
        app.post("/nb", ctx -> ctx.text(ctx.body().toUpperCase() + " on " + Thread.currentThread().getName()),
                RouteOptions.create().nonBlocking());
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.post("/nb", "text/plain", "abc".getBytes()).body()).startsWith("ABC on covet-io");
        }
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
