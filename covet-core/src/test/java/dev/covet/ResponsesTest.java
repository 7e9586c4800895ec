package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponsesTest {
    @TempDir
    Path temp;

    @Test
    void textHtmlBytesAndCustomContentTypes() {
        Covet app = Covet.create();
        app.get("/text", ctx -> ctx.text("plain"));
        app.get("/html", ctx -> ctx.html("<p>hi</p>"));
        app.get("/bytes", ctx -> ctx.bytes(new byte[] {1, 2, 3}));
        app.get("/csv", ctx -> ctx.contentType("text/csv").text("a,b"));
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/text").header("Content-Type")).contains("text/plain; charset=utf-8");
            assertThat(server.get("/html").header("Content-Type")).contains("text/html; charset=utf-8");
            TestResponse bytes = server.get("/bytes");
            assertThat(bytes.header("Content-Type")).contains("application/octet-stream");
            assertThat(bytes.bytes()).containsExactly(1, 2, 3);
            assertThat(server.get("/csv").header("Content-Type")).contains("text/csv");
        }
    }

    @Test
    void textAndHtmlBodiesAreExactUtf8WhateverTheCharacters() {
        String latin1 = "héllo wörld";
        String utf16 = "フレームワークのベンチマーク <b>&</b>";
        String surrogatePair = "smile 🙂 done";
        Covet app = Covet.create();
        app.get("/latin1", ctx -> ctx.text(latin1));
        app.get("/utf16", ctx -> ctx.html(utf16));
        app.get("/pair", ctx -> ctx.text(surrogatePair));
        app.get("/lone", ctx -> ctx.text("a\uD800b")); // a lone surrogate cannot be encoded: '?' as Netty and the JDK write it
        try (TestServer server = TestServer.start(app)) {
            for (String[] c : new String[][] {{"/latin1", latin1}, {"/utf16", utf16}, {"/pair", surrogatePair}, {"/lone", "a?b"}}) {
                TestResponse response = server.get(c[0]);
                byte[] expected = c[1].getBytes(StandardCharsets.UTF_8);
                assertThat(response.bytes()).as(c[0]).isEqualTo(expected);
                assertThat(response.header("Content-Length")).as(c[0]).contains(String.valueOf(expected.length));
            }
        }
    }

    @Test
    void redirectsSetLocationAndStatus() {
        Covet app = Covet.create();
        app.get("/old", ctx -> ctx.redirect("/new"));
        app.get("/moved", ctx -> ctx.redirect("/new", 301));
        try (TestServer server = TestServer.start(app)) {
            TestResponse found = server.get("/old");
            assertThat(found.status()).isEqualTo(302);
            assertThat(found.header("Location")).contains("/new");
            assertThat(server.get("/moved").status()).isEqualTo(301);
        }
    }

    @Test
    void cookiesAreHttpOnlyAndSameSiteLaxByDefault() {
        Covet app = Covet.create();
        app.get("/login", ctx -> ctx.cookie(Cookie.of("session", "abc").maxAge(Duration.ofHours(1))).text("ok"));
        try (TestServer server = TestServer.start(app)) {
            String setCookie = server.get("/login").header("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("session=abc").contains("HTTPOnly").contains("SameSite=Lax")
                    .contains("Max-Age=3600").contains("Path=/");
        }
    }

    @Test
    void filesAreSentWithTheirContentTypeAndMissingFilesAre404() throws Exception {
        Path file = temp.resolve("report.json");
        Files.writeString(file, "{\"ok\":true}");
        Covet app = Covet.create();
        app.get("/report", ctx -> ctx.file(file));
        app.get("/missing", ctx -> ctx.file(temp.resolve("nope.txt")));
        try (TestServer server = TestServer.start(app)) {
            TestResponse report = server.get("/report");
            assertThat(report.body()).isEqualTo("{\"ok\":true}");
            assertThat(report.header("Content-Type")).contains("application/json");
            assertThat(report.header("Content-Length")).contains("11");
            assertThat(server.get("/missing").status()).isEqualTo(404);
        }
    }

    @Test
    void streamsAndOutputAreSentChunked() {
        byte[] big = "0123456789".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        Covet app = Covet.create();
        app.get("/stream", ctx -> ctx.contentType("text/plain").stream(new ByteArrayInputStream(big)));
        app.get("/output", ctx -> {
            try (var out = ctx.output()) {
                for (int i = 0; i < 1000; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        });
        try (TestServer server = TestServer.start(app)) {
            TestResponse stream = server.get("/stream");
            assertThat(stream.header("Transfer-Encoding")).contains("chunked");
            assertThat(stream.bytes()).isEqualTo(big);
            TestResponse output = server.get("/output");
            assertThat(output.body()).startsWith("line 0\n").endsWith("line 999\n");
        }
    }

    @Test
    void streamingAndFilesAreRefusedOnNonBlockingRoutesWithAClearMessage() {
        Covet app = Covet.create(c -> c.devMode(true));
        app.get("/nb", ctx -> ctx.output(), RouteOptions.create().nonBlocking());
        app.get("/nb-file", ctx -> ctx.file(java.nio.file.Path.of("pom.xml")), RouteOptions.create().nonBlocking());
        try (TestServer server = TestServer.start(app)) {
            for (String path : new String[] {"/nb", "/nb-file"}) {
                TestResponse response = server.get(path);
                assertThat(response.status()).isEqualTo(500);
                assertThat(response.body()).contains("remove RouteOptions.nonBlocking()");
            }
        }
    }
}
