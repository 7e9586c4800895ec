package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.DateFormatter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticFilesTest {
    private static final String HELLO = "Hello, static world!\n";
    private static final String SECRET = "TOP-SECRET-CONTENT";
    private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09Z");
    private static final Instant JAR_MODIFIED = Instant.parse("2024-05-06T07:08:10Z"); // zip times have 2 s steps

    @TempDir
    Path tmp;
    Path publicDir;
    Covet app;

    @BeforeEach
    void files() throws IOException {
        publicDir = Files.createDirectories(tmp.resolve("public"));
        Files.writeString(publicDir.resolve("hello.txt"), HELLO);
        Files.setLastModifiedTime(publicDir.resolve("hello.txt"), FileTime.from(MODIFIED));
        Files.writeString(publicDir.resolve("app.css"), "body { color: red }");
        Files.writeString(publicDir.resolve("index.html"), "<!doctype html><title>home</title>");
        Files.createDirectories(publicDir.resolve("docs"));
        Files.writeString(publicDir.resolve("docs/index.html"), "<!doctype html><title>docs</title>");
        Files.writeString(publicDir.resolve("docs/guide.md"), "# Guide");
        Files.createDirectories(publicDir.resolve("empty-dir"));
        Files.writeString(publicDir.resolve(".env"), "PASSWORD=" + SECRET);
        Files.write(publicDir.resolve("digits.bin"), digits(1000));
        // outside the root
        Files.writeString(tmp.resolve("secret.txt"), SECRET);
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret.txt"), SECRET);
        // symlinks: two lead out of the root, one stays inside
        Files.createSymbolicLink(publicDir.resolve("link-out"), tmp.resolve("outside"));
        Files.createSymbolicLink(publicDir.resolve("file-link-out.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(publicDir.resolve("link-in.txt"), publicDir.resolve("hello.txt"));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private void start(Consumer<Covet> routes) {
        app = Covet.create(c -> c.port(0).handleSignals(false).loadExternal(false));
        routes.accept(app);
        app.start();
    }

    private void serveDirectory() {
        start(a -> a.staticFiles("/assets", publicDir));
    }

    private RawHttp.Response get(String target, String... headers) {
        return send("GET", target, headers);
    }

    private RawHttp.Response send(String method, String target, String... headers) {
        try (RawHttp http = RawHttp.connect(app.port())) {
            return http.exchange(method, target, headers);
        }
    }

    private static byte[] digits(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('0' + i % 10);
        }
        return bytes;
    }

    @Nested
    class ServingFiles {

        @Test
        void aFileComesWithContentTypeLengthValidatorsCacheControlAndAcceptRanges() throws Exception {
            serveDirectory();
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/assets/hello.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(HELLO);
                var headers = response.headers();
                assertThat(headers.firstValue("content-type")).contains("text/plain; charset=utf-8");
                assertThat(headers.firstValue("content-length")).contains(String.valueOf(HELLO.length()));
                assertThat(headers.firstValue("etag")).hasValueSatisfying(etag -> assertThat(etag).matches("\"[0-9a-f]+-[0-9a-f]+\""));
                assertThat(headers.firstValue("last-modified")).contains(DateFormatter.format(Date.from(MODIFIED)));
                assertThat(headers.firstValue("cache-control")).contains("no-cache");
                assertThat(headers.firstValue("accept-ranges")).contains("bytes");
            }
        }

        @Test
        void theContentTypeFollowsTheExtension() throws Exception {
            serveDirectory();
            assertThat(get("/assets/app.css").header("content-type")).contains("text/css; charset=utf-8");
            assertThat(get("/assets/digits.bin").header("content-type")).contains("application/octet-stream");
            assertThat(get("/assets/docs/guide.md").header("content-type")).contains("text/markdown; charset=utf-8");
        }

        @Test
        void aLargeFileArrivesIntact() throws Exception {
            byte[] big = StreamingTest.pattern(3 * 1024 * 1024 + 17);
            Files.write(publicDir.resolve("big.bin"), big);
            serveDirectory();
            RawHttp.Response response = get("/assets/big.bin");
            assertThat(response.header("content-length")).contains(String.valueOf(big.length));
            assertThat(response.body()).isEqualTo(big);
        }

        @Test
        void aMissingFileIsAnswered404WithAProblem() throws Exception {
            serveDirectory();
            RawHttp.Response response = get("/assets/nope.txt");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("content-type")).contains("application/problem+json");
            assertThat(response.text()).contains("urn:covet:problem:not-found");
        }

        @Test
        void aSymlinkThatStaysInsideTheRootIsFollowed() throws Exception {
            serveDirectory();
            assertThat(get("/assets/link-in.txt").text()).isEqualTo(HELLO);
        }

        @Test
        void theCacheControlValueIsConfigurable() throws Exception {
            start(a -> a.staticFiles("/assets", publicDir,
                    StaticFileOptions.create().cacheControl("public, max-age=31536000, immutable")));
            assertThat(get("/assets/hello.txt").header("cache-control")).contains("public, max-age=31536000, immutable");
        }

        @Test
        void onlyGetAndHeadAreAllowed() throws Exception {
            serveDirectory();
            RawHttp.Response response = send("DELETE", "/assets/hello.txt");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("allow")).contains("GET, HEAD, OPTIONS");
        }

        @Test
        void aMoreSpecificRouteUnderThePrefixWins() throws Exception {
            start(a -> a.staticFiles("/assets", publicDir).get("/assets/hello.txt", ctx -> ctx.text("dynamic")));
            assertThat(get("/assets/hello.txt").text()).isEqualTo("dynamic");
            assertThat(get("/assets/app.css").text()).isEqualTo("body { color: red }");
        }

        @Test
        void aGroupPrefixesTheStaticRoute() throws Exception {
            start(a -> a.group("/v1", v1 -> v1.staticFiles("/files/", publicDir)));
            assertThat(app.routes()).contains("GET /v1/files/{staticPath:*}");
            assertThat(get("/v1/files/hello.txt").text()).isEqualTo(HELLO);
        }

        @Test
        void theRootPrefixServesTheWholeSite() throws Exception {
            start(a -> a.staticFiles("/", publicDir));
            assertThat(get("/hello.txt").text()).isEqualTo(HELLO);
            assertThat(get("/").text()).contains("<title>home</title>");
            assertThat(get("//etc/passwd").status()).isEqualTo(404);
        }

        @Test
        void aDirectoryThatDoesNotExistIsRefusedAtRegistration() {
            Covet covet = Covet.create(c -> c.port(0).handleSignals(false).loadExternal(false));
            assertThatThrownBy(() -> covet.staticFiles("/assets", tmp.resolve("nope")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> covet.staticFiles("assets", publicDir))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ConditionalRequests {

        @Test
        void ifNoneMatchWithTheCurrentEtagIsAnswered304WithoutABody() throws Exception {
            serveDirectory();
            String etag = get("/assets/hello.txt").header("etag").orElseThrow();
            try (RawHttp http = RawHttp.connect(app.port())) {
                RawHttp.Response notModified = http.exchange("GET", "/assets/hello.txt", "If-None-Match: " + etag);
                assertThat(notModified.status()).isEqualTo(304);
                assertThat(notModified.header("etag")).contains(etag);
                assertThat(notModified.header("cache-control")).contains("no-cache");
                assertThat(notModified.header("content-length")).isEmpty();
                // no body came: the next response on this connection parses cleanly
                assertThat(http.exchange("GET", "/assets/hello.txt").text()).isEqualTo(HELLO);
            }
        }

        @Test
        void ifNoneMatchUsesWeakComparisonAndListsAndStar() throws Exception {
            serveDirectory();
            String etag = get("/assets/hello.txt").header("etag").orElseThrow();
            assertThat(get("/assets/hello.txt", "If-None-Match: \"other\", W/" + etag).status()).isEqualTo(304);
            assertThat(get("/assets/hello.txt", "If-None-Match: *").status()).isEqualTo(304);
            assertThat(get("/assets/hello.txt", "If-None-Match: \"other\"").status()).isEqualTo(200);
        }

        @Test
        void ifModifiedSinceAtOrAfterTheModificationTimeIsAnswered304() throws Exception {
            serveDirectory();
            String lastModified = DateFormatter.format(Date.from(MODIFIED));
            String earlier = DateFormatter.format(Date.from(MODIFIED.minusSeconds(1)));
            String later = DateFormatter.format(Date.from(MODIFIED.plusSeconds(3600)));
            assertThat(get("/assets/hello.txt", "If-Modified-Since: " + lastModified).status()).isEqualTo(304);
            assertThat(get("/assets/hello.txt", "If-Modified-Since: " + later).status()).isEqualTo(304);
            assertThat(get("/assets/hello.txt", "If-Modified-Since: " + earlier).status()).isEqualTo(200);
            assertThat(get("/assets/hello.txt", "If-Modified-Since: not a date").status()).isEqualTo(200);
        }

        @Test
        void ifNoneMatchTakesPrecedenceOverIfModifiedSince() throws Exception {
            serveDirectory();
            String later = DateFormatter.format(Date.from(MODIFIED.plusSeconds(3600)));
            RawHttp.Response response = get("/assets/hello.txt", "If-None-Match: \"stale\"", "If-Modified-Since: " + later);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo(HELLO);
        }

        @Test
        void changingTheFileChangesTheEtag() throws Exception {
            serveDirectory();
            String before = get("/assets/hello.txt").header("etag").orElseThrow();
            Files.writeString(publicDir.resolve("hello.txt"), HELLO + "more");
            RawHttp.Response response = get("/assets/hello.txt", "If-None-Match: " + before);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("etag")).isPresent().isNotEqualTo(java.util.Optional.of(before));
        }

        @Test
        void headIsAnsweredWithHeadersOnly() throws Exception {
            serveDirectory();
            try (RawHttp http = RawHttp.connect(app.port())) {
                RawHttp.Response head = http.exchange("HEAD", "/assets/hello.txt");
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.header("content-length")).contains(String.valueOf(HELLO.length()));
                assertThat(head.header("etag")).isPresent();
                assertThat(http.exchange("GET", "/assets/app.css").text()).isEqualTo("body { color: red }");
                http.exchange("HEAD", "/assets/hello.txt");
                assertThat(http.staysOpenFor(Duration.ofMillis(300))).as("no body after the HEAD response").isTrue();
            }
        }

        @Test
        void headHonoursConditionsToo() throws Exception {
            serveDirectory();
            String etag = get("/assets/hello.txt").header("etag").orElseThrow();
            assertThat(send("HEAD", "/assets/hello.txt", "If-None-Match: " + etag).status()).isEqualTo(304);
        }
    }

    @Nested
    class Ranges {

        @Test
        void aClosedRangeIsAnswered206WithContentRange() throws Exception {
            serveDirectory();
            RawHttp.Response response = get("/assets/digits.bin", "Range: bytes=0-99");
            assertThat(response.status()).isEqualTo(206);
            assertThat(response.header("content-range")).contains("bytes 0-99/1000");
            assertThat(response.header("content-length")).contains("100");
            assertThat(response.body()).isEqualTo(java.util.Arrays.copyOfRange(digits(1000), 0, 100));
        }

        @Test
        void anOpenRangeRunsToTheEnd() throws Exception {
            serveDirectory();
            RawHttp.Response response = get("/assets/digits.bin", "Range: bytes=995-");
            assertThat(response.status()).isEqualTo(206);
            assertThat(response.header("content-range")).contains("bytes 995-999/1000");
            assertThat(response.text()).isEqualTo("56789");
        }

        @Test
        void aSuffixRangeSendsTheLastBytes() throws Exception {
            serveDirectory();
            RawHttp.Response response = get("/assets/digits.bin", "Range: bytes=-3");
            assertThat(response.status()).isEqualTo(206);
            assertThat(response.header("content-range")).contains("bytes 997-999/1000");
            assertThat(response.text()).isEqualTo("789");
            assertThat(get("/assets/digits.bin", "Range: bytes=-5000").header("content-range")).contains("bytes 0-999/1000");
        }

        @Test
        void aRangePastTheEndIsClampedToTheEnd() throws Exception {
            serveDirectory();
            RawHttp.Response response = get("/assets/digits.bin", "Range: bytes=990-2000");
            assertThat(response.header("content-range")).contains("bytes 990-999/1000");
            assertThat(response.body()).hasSize(10);
        }

        @Test
        void anUnsatisfiableRangeIsAnswered416WithTheSize() throws Exception {
            serveDirectory();
            try (RawHttp http = RawHttp.connect(app.port())) {
                RawHttp.Response response = http.exchange("GET", "/assets/digits.bin", "Range: bytes=1000-");
                assertThat(response.status()).isEqualTo(416);
                assertThat(response.header("content-range")).contains("bytes */1000");
                assertThat(response.header("content-type")).contains("application/problem+json");
                assertThat(response.text()).contains("urn:covet:problem:range-not-satisfiable");
                assertThat(http.exchange("GET", "/assets/digits.bin", "Range: bytes=-0").status()).isEqualTo(416);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"bytes=0-1,5-6", "bytes=5-2", "bytes=abc", "items=0-5", "bytes 0-5", "bytes=--5"})
        void severalRangesOrAMalformedHeaderGetTheWholeFile(String range) throws Exception {
            serveDirectory();
            RawHttp.Response response = get("/assets/digits.bin", "Range: " + range);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-range")).isEmpty();
            assertThat(response.body()).isEqualTo(digits(1000));
        }

        @Test
        void ifRangeWithTheCurrentEtagOrDateAllowsTheRange() throws Exception {
            serveDirectory();
            RawHttp.Response full = get("/assets/digits.bin");
            String etag = full.header("etag").orElseThrow();
            String lastModified = full.header("last-modified").orElseThrow();
            assertThat(get("/assets/digits.bin", "Range: bytes=0-9", "If-Range: " + etag).status()).isEqualTo(206);
            assertThat(get("/assets/digits.bin", "Range: bytes=0-9", "If-Range: " + lastModified).status()).isEqualTo(206);
        }

        @Test
        void ifRangeWithAStaleValidatorGetsTheWholeFile() throws Exception {
            serveDirectory();
            String etag = get("/assets/digits.bin").header("etag").orElseThrow();
            RawHttp.Response stale = get("/assets/digits.bin", "Range: bytes=0-9", "If-Range: \"stale\"");
            assertThat(stale.status()).isEqualTo(200);
            assertThat(stale.body()).hasSize(1000);
            // a weak tag never satisfies If-Range, which needs strong comparison
            assertThat(get("/assets/digits.bin", "Range: bytes=0-9", "If-Range: W/" + etag).status()).isEqualTo(200);
            assertThat(get("/assets/digits.bin", "Range: bytes=0-9", "If-Range: Mon, 01 Jan 2001 00:00:00 GMT").status())
                    .isEqualTo(200);
        }

        @Test
        void aRangeOfALargeFileIsSentFromTheRightOffset() throws Exception {
            byte[] big = StreamingTest.pattern(2 * 1024 * 1024);
            Files.write(publicDir.resolve("big.bin"), big);
            serveDirectory();
            RawHttp.Response response = get("/assets/big.bin", "Range: bytes=1000000-1999999");
            assertThat(response.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 1_000_000, 2_000_000));
        }

        @Test
        void headIgnoresRange() throws Exception {
            serveDirectory();
            RawHttp.Response head = send("HEAD", "/assets/digits.bin", "Range: bytes=0-9");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).contains("1000");
        }
    }

    @Nested
    class Directories {

        @Test
        void aDirectoryRequestServesItsIndexFile() throws Exception {
            serveDirectory();
            RawHttp.Response response = get("/assets/");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).contains("text/html; charset=utf-8");
            assertThat(response.text()).contains("<title>home</title>");
            assertThat(get("/assets/docs/").text()).contains("<title>docs</title>");
        }

        @Test
        void aDirectoryWithoutItsTrailingSlashIsRedirectedToIt() throws Exception {
            serveDirectory();
            RawHttp.Response bare = get("/assets");
            assertThat(bare.status()).isEqualTo(301);
            assertThat(bare.header("location")).contains("/assets/");
            RawHttp.Response docs = get("/assets/docs?lang=en");
            assertThat(docs.status()).isEqualTo(301);
            assertThat(docs.header("location")).contains("/assets/docs/?lang=en");
        }

        @Test
        void aDirectoryWithoutAnIndexFileIsNotFound() throws Exception {
            serveDirectory();
            assertThat(get("/assets/empty-dir/").status()).isEqualTo(404);
            assertThat(get("/assets/empty-dir").status()).isEqualTo(404);
        }

        @Test
        void theIndexFileCanBeRenamedOrSwitchedOff() throws Exception {
            Files.writeString(publicDir.resolve("docs/start.html"), "start page");
            start(a -> a.staticFiles("/renamed", publicDir, StaticFileOptions.create().indexFile("start.html"))
                    .staticFiles("/plain", publicDir, StaticFileOptions.create().withoutIndexFile()));
            assertThat(get("/renamed/docs/").text()).isEqualTo("start page");
            assertThat(get("/plain/").status()).isEqualTo(404);
            assertThat(get("/plain/docs").status()).isEqualTo(404);
            assertThat(get("/plain/hello.txt").text()).isEqualTo(HELLO);
        }
    }

    @Nested
    class Traversal {

        /** Targets sent byte for byte: the JDK client would normalise most of them away. */
        @ParameterizedTest
        @ValueSource(strings = {
            "/assets/../secret.txt",
            "/assets/docs/../../secret.txt",
            "/assets/%2e%2e/secret.txt",
            "/assets/%2E%2E/secret.txt",
            "/assets/.%2e/secret.txt",
            "/assets/%2e%2e%2fsecret.txt",
            "/assets/..%2fsecret.txt",
            "/assets/docs/..%2f..%2fsecret.txt",
            "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
            "/assets/..%5csecret.txt",
            "/assets/docs%5c..%5c..%5csecret.txt",
            "/assets/%c0%ae%c0%ae/secret.txt",
            "/assets/%252e%252e/secret.txt",
            "/assets/hello.txt%00",
            "/assets/hello.txt%00.png",
            "/assets/%00/../secret.txt",
            "/assets//etc/passwd",
            "/assets/%2fetc%2fpasswd",
            "/assets/%2f%2e%2e%2fsecret.txt",
            "/assets/.",
            "/assets/./hello.txt",
            "/assets/link-out/secret.txt",
            "/assets/file-link-out.txt",
            "/assets/.env",
            "/assets/%2eenv",
            "/assets/docs/%0aguide.md",
        })
        void isAnsweredLikeAMissingFile(String target) throws Exception {
            serveDirectory();
            RawHttp.Response response = get(target);
            assertThat(response.status()).as(target).isEqualTo(404);
            assertThat(response.text()).doesNotContain(SECRET).doesNotContain("root:");
            assertThat(response.text()).contains("urn:covet:problem:not-found");
        }

        /**
         * Raw bytes that are not allowed in a request target at all: the HTTP layer may refuse them with
         * 400 before routing; either way nothing is served and nothing about the disk is revealed.
         */
        @ParameterizedTest
        @ValueSource(strings = {"/assets/..\\secret.txt", "/assets/docs\\..\\..\\secret.txt", "/assets/\\etc\\passwd"})
        void aRawBackslashIsRefused(String target) throws Exception {
            serveDirectory();
            RawHttp.Response response = get(target);
            assertThat(response.status()).as(target).isIn(400, 404);
            assertThat(response.text()).doesNotContain(SECRET);
        }

        @Test
        void anAbsoluteFormTargetIsCheckedTheSameWay() throws Exception {
            serveDirectory();
            assertThat(get("http://test/assets/%2e%2e/secret.txt").status()).isEqualTo(404);
            assertThat(get("http://test/assets/hello.txt").text()).isEqualTo(HELLO);
        }

        @Test
        void dotFilesAreServedOnlyWhenAskedFor() throws Exception {
            start(a -> a.staticFiles("/assets", publicDir, StaticFileOptions.create().serveDotFiles(true)));
            assertThat(get("/assets/.env").status()).isEqualTo(200);
            assertThat(get("/assets/..%2fsecret.txt").status()).isEqualTo(404);
            assertThat(get("/assets/%2e%2e/secret.txt").status()).isEqualTo(404);
        }

        @Test
        void encodedButHarmlessNamesStillWork() throws Exception {
            Files.writeString(publicDir.resolve("with space.txt"), "spaced");
            Files.writeString(publicDir.resolve("caf\u00e9.txt"), "accent");
            serveDirectory();
            assertThat(get("/assets/with%20space.txt").text()).isEqualTo("spaced");
            assertThat(get("/assets/caf%C3%A9.txt").text()).isEqualTo("accent");
            assertThat(get("/assets/hello%2etxt").text()).isEqualTo(HELLO);
        }
    }

    @Nested
    class ClassPathResources {

        private void withContextLoader(ClassLoader loader, Runnable action) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                action.run();
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        @Test
        void resourcesFromTheTestClassPathAreServed() throws Exception {
            start(a -> a.staticResources("/cp", "site"));
            RawHttp.Response response = get("/cp/hello.txt");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("Hello from the class path\n");
            assertThat(response.header("content-length")).contains("26");
            assertThat(response.header("etag")).isPresent();
            assertThat(response.header("last-modified")).isPresent();
            assertThat(get("/cp/").text()).contains("<title>site</title>");
            assertThat(get("/cp/docs").header("location")).contains("/cp/docs/");
            assertThat(get("/cp/docs/").text()).contains("docs index");
            assertThat(get("/cp/../dev/covet/StaticFilesTest.class").status()).isEqualTo(404);
            assertThat(get("/cp/%2e%2e/dev/covet/StaticFilesTest.class").status()).isEqualTo(404);
        }

        @Test
        void aSymlinkInAClassPathDirectoryThatLeadsOutIsRefused() throws Exception {
            Path classes = Files.createDirectories(tmp.resolve("classes"));
            Path site = Files.createDirectories(classes.resolve("site"));
            Files.writeString(site.resolve("ok.txt"), "ok");
            Files.writeString(classes.resolve("config.properties"), SECRET);
            Files.createSymbolicLink(site.resolve("out"), tmp.resolve("outside"));
            Files.createSymbolicLink(site.resolve("config.txt"), classes.resolve("config.properties"));
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
                start(a -> withContextLoader(loader, () -> a.staticResources("/cp", "site")));
                assertThat(get("/cp/ok.txt").text()).isEqualTo("ok");
                assertThat(get("/cp/out/secret.txt").status()).isEqualTo(404);
                assertThat(get("/cp/config.txt").status()).isEqualTo(404);
                assertThat(get("/cp/../config.properties").status()).isEqualTo(404);
            }
        }

        @Test
        void resourcesInsideAJarAreStreamedWithLengthEtagAndRanges() throws Exception {
            byte[] digits = digits(1000);
            Path jar = jar(tmp.resolve("site.jar"), digits);
            try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
                start(a -> withContextLoader(loader, () -> a.staticResources("/jar", "/site/")));

                RawHttp.Response full = get("/jar/digits.bin");
                assertThat(full.status()).isEqualTo(200);
                assertThat(full.chunked()).isFalse();
                assertThat(full.header("content-length")).contains("1000");
                assertThat(full.body()).isEqualTo(digits);
                CRC32 crc = new CRC32();
                crc.update(digits);
                assertThat(full.header("etag")).contains("\"3e8-" + Long.toHexString(crc.getValue()) + "\"");
                assertThat(full.header("last-modified")).contains(DateFormatter.format(Date.from(JAR_MODIFIED)));

                String etag = full.header("etag").orElseThrow();
                assertThat(get("/jar/digits.bin", "If-None-Match: " + etag).status()).isEqualTo(304);

                RawHttp.Response part = get("/jar/digits.bin", "Range: bytes=10-14");
                assertThat(part.status()).isEqualTo(206);
                assertThat(part.header("content-range")).contains("bytes 10-14/1000");
                assertThat(part.text()).isEqualTo("01234");

                try (RawHttp http = RawHttp.connect(app.port())) {
                    RawHttp.Response head = http.exchange("HEAD", "/jar/digits.bin");
                    assertThat(head.header("content-length")).contains("1000");
                    assertThat(http.exchange("GET", "/jar/docs/").text()).isEqualTo("jar docs");
                }
                assertThat(get("/jar/docs").header("location")).contains("/jar/docs/");
                assertThat(get("/jar/").text()).isEqualTo("jar index");
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"/jar/../secret.txt", "/jar/%2e%2e/secret.txt", "/jar/..%2fsecret.txt",
            "/jar/docs/..%2f..%2fsecret.txt", "/jar//secret.txt", "/jar/..%5csecret.txt", "/jar/%00",
            "/jar/nope.txt"})
        void pathsOutOfAJarRootAreAnsweredLikeMissingFiles(String target) throws Exception {
            Path jar = jar(tmp.resolve("site.jar"), digits(10));
            try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
                start(a -> withContextLoader(loader, () -> a.staticResources("/jar", "site")));
                RawHttp.Response response = get(target);
                assertThat(response.status()).as(target).isEqualTo(404);
                assertThat(response.text()).doesNotContain(SECRET);
            }
        }

        @Test
        void aRootThatIsMissingOrTheWholeClassPathIsRefusedAtRegistration() {
            Covet covet = Covet.create(c -> c.port(0).handleSignals(false).loadExternal(false));
            assertThatThrownBy(() -> covet.staticResources("/x", "no-such-folder"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not on the class path");
            assertThatThrownBy(() -> covet.staticResources("/x", "/"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole class path");
            assertThatThrownBy(() -> covet.staticResources("/x", "site/../dev"))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        private Path jar(Path file, byte[] digits) throws IOException {
            try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
                entry(jar, "site/", null);
                entry(jar, "site/digits.bin", digits);
                entry(jar, "site/index.html", "jar index".getBytes(StandardCharsets.UTF_8));
                entry(jar, "site/docs/", null);
                entry(jar, "site/docs/index.html", "jar docs".getBytes(StandardCharsets.UTF_8));
                entry(jar, "secret.txt", SECRET.getBytes(StandardCharsets.UTF_8));
            }
            return file;
        }

        private void entry(JarOutputStream jar, String name, byte[] content) throws IOException {
            JarEntry entry = new JarEntry(name);
            entry.setTime(JAR_MODIFIED.toEpochMilli());
            jar.putNextEntry(entry);
            if (content != null) {
                jar.write(content);
            }
            jar.closeEntry();
        }
    }
}
