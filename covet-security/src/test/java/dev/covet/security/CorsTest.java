package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.Covet;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CorsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        Covet app = Covet.create();
        app.use(Cors.builder().allowOrigins("https://app.example.com").allowOriginPatterns("https://*.example.org")
                .allowMethods("GET", "POST", "DELETE").allowHeaders("Content-Type", "Authorization")
                .exposeHeaders("Location").allowCredentials(true).maxAge(Duration.ofMinutes(5)).build());
        app.use(SecurityHeaders.secure());
        app.get("/items", ctx -> ctx.text("items"));
        app.delete("/items", ctx -> ctx.status(204));
        server = TestServer.start(app);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    TestResponse preflight(String origin, String method, String headers) {
        HttpRequest.Builder request = server.request("/items").header("Origin", origin)
                .header("Access-Control-Request-Method", method).method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        if (headers != null) {
            request.header("Access-Control-Request-Headers", headers);
        }
        return server.send(request);
    }

    TestResponse get(String origin) {
        return server.send(server.request("/items").header("Origin", origin).GET());
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithTheAllowedMethodsAndHeaders() {
        TestResponse response = preflight("https://app.example.com", "DELETE", "authorization, content-type");
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(response.header("Access-Control-Allow-Credentials")).contains("true");
        assertThat(response.header("Access-Control-Allow-Methods")).contains("GET, POST, DELETE");
        assertThat(response.header("Access-Control-Allow-Headers")).contains("Content-Type, Authorization");
        assertThat(response.header("Access-Control-Max-Age")).contains("300");
        assertThat(response.header("Vary")).hasValueSatisfying(v -> assertThat(v).contains("Origin"));
    }

    @Test
    void aPreflightFromAnotherOriginOrForAnotherMethodOrHeaderIs403WithoutCorsHeaders() {
        for (TestResponse response : new TestResponse[] {
                preflight("https://evil.example", "GET", null),
                preflight("https://app.example.com", "PUT", null),
                preflight("https://app.example.com", "GET", "X-Secret"),
                preflight("null", "GET", null)}) {
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
            assertThat(response.body()).contains("urn:covet:problem:cors-refused");
        }
    }

    @Test
    void aPatternMatchesSubdomainsButNotLookalikes() {
        assertThat(get("https://a.example.org").header("Access-Control-Allow-Origin")).contains("https://a.example.org");
        assertThat(get("https://a.b.example.org").header("Access-Control-Allow-Origin")).contains("https://a.b.example.org");
        for (String lookalike : new String[] {"https://example.org", "https://evilexample.org", "http://a.example.org",
                "https://a.example.org.evil.net", "https://a.example.org:8443", "https://x/.example.org"}) {
            assertThat(get(lookalike).header("Access-Control-Allow-Origin")).as(lookalike).isEmpty();
        }
    }

    @Test
    void aSimpleRequestFromAnAllowedOriginExposesHeadersAndAnotherOriginGetsNoCorsHeaders() {
        TestResponse allowed = get("https://app.example.com");
        assertThat(allowed.body()).isEqualTo("items");
        assertThat(allowed.header("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(allowed.header("Access-Control-Expose-Headers")).contains("Location");
        assertThat(allowed.header("Vary")).contains("Origin");
        TestResponse other = get("https://evil.example");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(other.header("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(other.header("Vary")).contains("Origin");
    }

    @Test
    void anyOriginWithCredentialsIsRefusedAtStartUp() {
        assertThatThrownBy(() -> Cors.builder().allowOrigins("*").allowCredentials(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials");
        assertThatThrownBy(() -> Cors.builder().allowOrigins("https://a.com/").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cors.builder().allowOriginPatterns("https://a*.com").build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyOriginWithoutCredentialsAnswersAStar() {
        Covet app = Covet.create();
        app.use(Cors.builder().allowOrigins("*").build());
        app.get("/open", ctx -> ctx.text("open"));
        try (TestServer open = TestServer.start(app)) {
            TestResponse response = open.send(open.request("/open").header("Origin", "https://anyone.example").GET());
            assertThat(response.header("Access-Control-Allow-Origin")).contains("*");
            assertThat(response.header("Access-Control-Allow-Credentials")).isEmpty();
        }
    }

    @Test
    void theSecurePresetSetsItsHeadersOnEveryResponseIncludingErrors() {
        for (TestResponse response : new TestResponse[] {server.get("/items"), server.get("/missing")}) {
            assertThat(response.header("Strict-Transport-Security")).contains("max-age=31536000; includeSubDomains");
            assertThat(response.header("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'", "frame-ancestors 'none'"));
            assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
            assertThat(response.header("X-Frame-Options")).contains("DENY");
            assertThat(response.header("Referrer-Policy")).contains("strict-origin-when-cross-origin");
        }
        assertThat(server.get("/missing").status()).isEqualTo(404);
        assertThat(SecurityHeaders.secure().without("Strict-Transport-Security").with("X-Frame-Options", "SAMEORIGIN").headers())
                .doesNotContainKey("Strict-Transport-Security").containsEntry("X-Frame-Options", "SAMEORIGIN");
    }
}
