package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.Covet;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionsAndCsrfTest {
    static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    static String cookieValue(TestResponse response, String name) {
        return response.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).findFirst().orElseThrow();
    }

    static String setCookie(TestResponse response, String name) {
        return response.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(name + "=")).findFirst().orElseThrow();
    }

    @Test
    void aSessionCookieIsEncryptedHttpOnlySecureAndRefusedWhenChangedOrExpired() {
        byte[] key = key();
        Instant start = Instant.parse("2026-05-01T10:00:00Z");
        SessionCookie session = SessionCookie.builder(key).maxAge(Duration.ofHours(1)).build();
        SessionCookie later = SessionCookie.builder(key).clock(Clock.fixed(start.plusSeconds(7200), ZoneOffset.UTC)).build();
        SessionCookie rotated = SessionCookie.builder(key()).previousKeys(key).build();
        SessionCookie otherKey = SessionCookie.builder(key()).build();
        SessionCookie early = SessionCookie.builder(key).maxAge(Duration.ofHours(1))
                .clock(Clock.fixed(start, ZoneOffset.UTC)).build();
        Covet app = Covet.create();
        app.post("/login", ctx -> session.write(ctx, Map.of("user", "alice")));
        app.post("/old", ctx -> early.write(ctx, Map.of("user", "alice")));
        app.get("/me", ctx -> ctx.text(session.read(ctx).map(s -> s.get("user")).orElse("nobody")));
        app.get("/me-later", ctx -> ctx.text(later.read(ctx).map(s -> s.get("user")).orElse("nobody")));
        app.get("/me-rotated", ctx -> ctx.text(rotated.read(ctx).map(s -> s.get("user")).orElse("nobody")));
        app.get("/me-other", ctx -> ctx.text(otherKey.read(ctx).map(s -> s.get("user")).orElse("nobody")));
        try (TestServer server = TestServer.start(app)) {
            TestResponse login = server.post("/login", "text/plain", new byte[0]);
            String header = setCookie(login, "covet_session");
            assertThat(header).containsIgnoringCase("httponly").contains("Secure", "SameSite=Lax").doesNotContain("alice");
            String value = cookieValue(login, "covet_session");
            java.util.function.BiFunction<String, String, String> as = (path, v) ->
                    server.send(server.request(path).header("Cookie", "covet_session=" + v).GET()).body();
            assertThat(as.apply("/me", value)).isEqualTo("alice");
            assertThat(as.apply("/me-rotated", value)).isEqualTo("alice");
            assertThat(as.apply("/me-other", value)).isEqualTo("nobody");
            char flipped = value.charAt(20) == 'A' ? 'B' : 'A';
            assertThat(as.apply("/me", value.substring(0, 20) + flipped + value.substring(21))).isEqualTo("nobody");
            assertThat(as.apply("/me", "garbage!")).isEqualTo("nobody");
            String old = cookieValue(server.post("/old", "text/plain", new byte[0]), "covet_session");
            assertThat(as.apply("/me-later", old)).isEqualTo("nobody");
        }
        assertThatThrownBy(() -> SessionCookie.builder(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnsafeRequestWithoutTheMatchingCsrfTokenIs403AndNeverReachesTheHandler() {
        byte[] key = key();
        java.util.concurrent.atomic.AtomicInteger transfers = new java.util.concurrent.atomic.AtomicInteger();
        Covet app = Covet.create();
        app.use(Csrf.builder(key).secure(false).sessionId(ctx -> ctx.cookie("sid")).build());
        app.get("/form", ctx -> ctx.text(Csrf.token(ctx).orElseThrow()));
        app.post("/transfer", ctx -> ctx.text("done " + transfers.incrementAndGet()));
        try (TestServer server = TestServer.start(app)) {
            TestResponse form = server.send(server.request("/form").header("Cookie", "sid=s1").GET());
            String token = form.body();
            assertThat(cookieValue(form, "covet_csrf")).isEqualTo(token);
            assertThat(setCookie(form, "covet_csrf")).contains("SameSite=Strict").doesNotContainIgnoringCase("httponly");
            java.util.function.BiFunction<String, String, TestResponse> post = (cookies, header) -> {
                HttpRequest.Builder r = server.request("/transfer").header("Cookie", cookies)
                        .POST(HttpRequest.BodyPublishers.noBody());
                if (header != null) {
                    r.header("X-CSRF-Token", header);
                }
                return server.send(r);
            };
            assertThat(post.apply("sid=s1; covet_csrf=" + token, token).body()).isEqualTo("done 1");
            // the attacker's page: cookies ride along, but it cannot read the token
            TestResponse noHeader = post.apply("sid=s1; covet_csrf=" + token, null);
            assertThat(noHeader.status()).isEqualTo(403);
            assertThat(noHeader.body()).contains(Csrf.REFUSED);
            // a planted cookie with a self-made token
            assertThat(post.apply("sid=s1; covet_csrf=abc.def", "abc.def").status()).isEqualTo(403);
            // a valid token of another session
            assertThat(post.apply("sid=s2; covet_csrf=" + token, token).status()).isEqualTo(403);
            // the form field works too
            TestResponse form2 = server.send(server.request("/transfer").header("Cookie", "sid=s1; covet_csrf=" + token)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + token)));
            assertThat(form2.body()).isEqualTo("done 2");
            assertThat(transfers.get()).isEqualTo(2);
        }
    }

    @Test
    void theHtmlSanitizerRemovesScriptsHandlersAndJavascriptUrls() {
        HtmlSanitizer sanitizer = HtmlSanitizer.basic();
        String dirty = "<p onclick=\"steal()\">Hi <b>there</b><script>alert(1)</script>"
                + "<a href=\"javascript:alert(1)\">x</a><a href=\"https://example.com\">ok</a>"
                + "<img src=x onerror=alert(1)><svg onload=alert(1)></svg><iframe src=//evil></iframe></p>";
        String clean = sanitizer.sanitize(dirty);
        assertThat(clean).contains("<b>there</b>", "href=\"https://example.com\"")
                .doesNotContainIgnoringCase("script").doesNotContain("onclick", "onerror", "onload", "javascript:", "iframe", "<img");
        assertThat(HtmlSanitizer.textOnly().sanitize("<b>bold</b> & <i>x</i>")).isEqualTo("bold &amp; x");
    }
}
