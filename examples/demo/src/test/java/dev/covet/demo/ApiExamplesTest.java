package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.Covet;
import dev.covet.security.JwtAlgorithm;
import dev.covet.security.JwtIssuer;
import dev.covet.security.JwtKey;
import dev.covet.security.JwtKeySet;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoints the benchmark's API scenarios load: the large list, the validated body, the bench key. */
class ApiExamplesTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static TestServer server;

    @BeforeAll
    static void start() {
        Covet app = Covet.create(c -> c.port(0).loadExternal(false).handleSignals(false));
        ApiExamples.register(app);
        SecurityExamples.register(app, Optional.of(SECRET));
        server = TestServer.start(app);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theJsonListHoldsOneHundredItemsOfAboutHalfAKilobyte() {
        TestResponse r = server.get("/json-list");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("[{\"id\":1,\"sku\":\"SKU-00001\",\"name\":\"Item 1\",\"email\":\"user1@example.com\","
                + "\"active\":true,\"quantity\":7,\"priceCents\":199,\"tags\":[\"t1\",\"t1\",\"t1\"],\"description\":\"An item");
        assertThat(r.body().split("\"sku\"")).hasSize(101);
        assertThat(r.body().length()).isBetween(45_000, 55_000);
    }

    @Test
    void aValidUserComesBackAndAnInvalidOneIs422NamingEveryField() {
        TestResponse ok = server.postJson("/validated", "{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"age\":36}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"age\":36}");
        TestResponse bad = server.postJson("/validated", "{\"name\":\"\",\"email\":\"not-an-email\",\"age\":-1}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("\"field\":\"name\"").contains("\"field\":\"email\"").contains("\"field\":\"age\"");
    }

    @Test
    void aTokenSignedWithTheBenchSecretOpensTheProtectedRouteAndOneWithAnotherSecretDoesNot() {
        String good = issuer(SECRET).issue("bench");
        String forged = issuer("fedcba9876543210fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).issue("bench");
        assertThat(get("/secure/me/", good).body()).contains("\"user\":\"bench\"");
        assertThat(get("/secure/me/", forged).status()).isEqualTo(401);
        assertThat(server.get("/.well-known/jwks.json").body()).as("an HMAC secret is never published").doesNotContain("\"bench\"");
    }

    @Test
    void theJwtBaselineRouteAnswersWhatTheProtectedOneAnswersTheBenchTokenWithoutOne() {
        String token = issuer(SECRET).issue("bench");
        TestResponse open = server.get("/secure/anonymous/");
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.body()).isEqualTo(get("/secure/me/", token).body());
    }

    private static JwtIssuer issuer(byte[] secret) {
        return JwtIssuer.builder(JwtKeySet.of(JwtKey.hmac(SecurityExamples.BENCH_KID, JwtAlgorithm.HS256, secret)))
                .issuer("covet-demo").audience("covet-demo").build();
    }

    private static TestResponse get(String path, String token) {
        return server.send(server.request(path).header("Authorization", "Bearer " + token).GET());
    }
}
