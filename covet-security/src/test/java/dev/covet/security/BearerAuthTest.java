package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.covet.Covet;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import dev.covet.testkit.TestWebSocket;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BearerAuthTest {
    static final JwtKeySet KEYS = JwtKeySet.of(JwtKey.generate("k1", JwtAlgorithm.ES256));
    static final JwtIssuer ISSUER = JwtIssuer.builder(KEYS).build();
    static TestServer server;

    @BeforeAll
    static void start() {
        JwtVerifier verifier = JwtVerifier.builder(KEYS).build();
        Covet app = Covet.create();
        app.group("/api", api -> {
            api.use(BearerAuth.create(verifier).fromCookie("access").fromQueryParam("access_token"));
            api.get("/me", ctx -> ctx.json(Map.of("sub", AuthenticatedUser.require(ctx).subject())));
            api.group("/admin", admin -> {
                admin.use(Require.anyRole("admin"));
                admin.get("/stats", ctx -> ctx.text("stats"));
            });
            api.group("/reports", reports -> {
                reports.use(Require.scopes("reports:read"));
                reports.get("/", ctx -> ctx.text("reports"));
            });
        });
        app.group("/live", live -> {
            live.use(BearerAuth.create(verifier).fromSubprotocol("bearer"));
            live.ws("/me", ws -> ws.subprotocols("chat.v1", "bearer").onOpen(session -> session.sendText(
                    AuthenticatedUser.require(session.context()).subject() + " over " + session.subprotocol().orElseThrow())));
        });
        app.group("/public", pub -> {
            pub.use(BearerAuth.create(verifier).optional());
            pub.get("/hello", ctx -> ctx.text("hello " + AuthenticatedUser.current(ctx).map(AuthenticatedUser::subject).orElse("guest")));
        });
        server = TestServer.start(app);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    TestResponse get(String path, String authorization) {
        return server.send(server.request(path).header("Authorization", authorization).GET());
    }

    @Test
    void aRequestWithoutATokenGets401WithABearerChallenge() {
        TestResponse response = server.get("/api/me");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("Bearer realm=\"covet\"");
        assertThat(response.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
    }

    @Test
    void aTokenWhoseHeaderIsJsonNullGets401NotA500() {
        // nimbus-jose-jwt 10.10 throws a NullPointerException for the header "null"; it escaped verify().
        String token = ISSUER.issue("alice");
        String forged = "bnVsbA" + token.substring(token.indexOf('.'));
        TestResponse response = get("/api/me", "Bearer " + forged);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).hasValue(BearerAuth.INVALID);
    }

    @Test
    void aValidTokenReachesTheHandlerWithItsUser() {
        TestResponse response = get("/api/me", "Bearer " + ISSUER.issue("alice"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"sub\":\"alice\"}");
    }

    @Test
    void everyRefusedTokenGetsTheSame401ThatLeaksNothing() {
        String good = ISSUER.issue("alice");
        String otherKey = JwtIssuer.builder(JwtKeySet.of(JwtKey.generate("k1", JwtAlgorithm.ES256))).build().issue("alice");
        List<String> bodies = List.of("garbage", good.substring(0, good.length() - 4) + "AAAA", otherKey,
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.").stream().map(token -> {
            TestResponse response = get("/api/me", "Bearer " + token);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).contains("Bearer realm=\"covet\", error=\"invalid_token\"");
            assertThat(response.body()).doesNotContain(token).doesNotContainIgnoringCase("signature")
                    .doesNotContainIgnoringCase("alg").contains("urn:covet:problem:invalid-token");
            return response.body();
        }).distinct().toList();
        assertThat(bodies).hasSize(1);
    }

    @Test
    void aRefreshTokenPresentedAsAnAccessTokenGetsTheSame401() throws Exception {
        String opaque = RefreshTokens.create(ISSUER, InMemoryRefreshTokenStore.create()).issue("alice", Map.of()).refreshToken();
        // What an identity provider that mints refresh tokens as JWTs would send, signed with the same key.
        SignedJWT refreshJwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1")
                .type(new JOSEObjectType("refresh+jwt")).build(), new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        refreshJwt.sign(KEYS.signingKey().signer());
        for (String token : List.of(opaque, refreshJwt.serialize())) {
            TestResponse response = get("/api/me", "Bearer " + token);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.body()).contains("urn:covet:problem:invalid-token").doesNotContain(token);
        }
    }

    @Test
    void aUserWithoutTheRoleGets403AndWithItGetsIn() {
        assertThat(get("/api/admin/stats", "Bearer " + ISSUER.issue("bob")).status()).isEqualTo(403);
        assertThat(get("/api/admin/stats", "Bearer " + ISSUER.issue("bob", Map.of("roles", List.of("admin")))).body())
                .isEqualTo("stats");
    }

    @Test
    void aTokenWithoutTheScopeGets403NamingTheScope() {
        TestResponse refused = get("/api/reports/", "Bearer " + ISSUER.issue("bob", Map.of("scope", "profile")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).contains("insufficient_scope", "reports:read"));
        assertThat(get("/api/reports/", "Bearer " + ISSUER.issue("bob", Map.of("scope", "profile reports:read"))).body())
                .isEqualTo("reports");
    }

    @Test
    void theTokenMayComeFromACookieOrAQueryParameter() {
        String token = ISSUER.issue("carol");
        assertThat(server.send(server.request("/api/me").header("Cookie", "access=" + token).GET()).body())
                .contains("carol");
        assertThat(server.get("/api/me?access_token=" + token).body()).contains("carol");
    }

    @Test
    void anOptionalGuardLetsGuestsInButStillRefusesBadTokens() {
        assertThat(server.get("/public/hello").body()).isEqualTo("hello guest");
        assertThat(get("/public/hello", "Bearer " + ISSUER.issue("dave")).body()).isEqualTo("hello dave");
        assertThat(get("/public/hello", "Bearer nonsense").status()).isEqualTo(401);
    }

    /** Opens {@code /live/me} offering {@code subprotocols}; returns the chosen one and the first message. */
    private static String openLive(String... subprotocols) {
        try (TestWebSocket ws = server.webSocket("/live/me", subprotocols)) {
            String answer = ws.subprotocol().orElse("(none)") + ": " + ws.next();
            ws.closeNormally();
            return answer;
        }
    }

    @Test
    void aWebSocketMayCarryTheTokenInItsSubprotocolOfferAndTheTokenIsNeverEchoed() {
        String token = ISSUER.issue("erin");
        assertThat(openLive("bearer", token)).isEqualTo("bearer: erin over bearer");
        assertThat(openLive("chat.v1", "bearer", token)).isEqualTo("chat.v1: erin over chat.v1");
    }

    @Test
    void aWebSocketWithoutATokenOrWithABadOneIsRefused401() {
        for (String[] offer : List.of(new String[] {"chat.v1"}, new String[] {"bearer", "not.a.jwt"})) {
            assertThatThrownBy(() -> openLive(offer)).isInstanceOfSatisfying(TestWebSocket.Refused.class,
                    refused -> assertThat(refused.status()).isEqualTo(401));
        }
    }
}
