package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.covet.Covet;
import dev.covet.security.InvalidTokenException.Reason;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JwtTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final JwtKey RSA = JwtKey.generate("rsa-1", JwtAlgorithm.RS256);
    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static Reason refusal(JwtVerifier verifier, String token) {
        try {
            verifier.verify(token);
        } catch (InvalidTokenException e) {
            return e.reason();
        }
        throw new AssertionError("The token was accepted");
    }

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void aTokenIssuedWithEachAlgorithmVerifiesWithTheSameKeySet(JwtAlgorithm algorithm) {
        JwtKeySet keys = JwtKeySet.of(JwtKey.generate("k-" + algorithm, algorithm));
        String token = JwtIssuer.builder(keys).issuer("covet").audience("web").build()
                .issue("alice", Map.of("roles", List.of("admin"), "scope", "read write"));
        AuthenticatedUser user = JwtVerifier.builder(keys).issuer("covet").audience("web").build().verify(token);
        assertThat(user.subject()).isEqualTo("alice");
        assertThat(user.roles()).containsExactly("admin");
        assertThat(user.scopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(SignedJWTs.kid(token)).isEqualTo("k-" + algorithm);
    }

    @Test
    void hmacSecretsShorterThanTheHashAreRefused() {
        assertThatThrownBy(() -> JwtKey.hmac("k", JwtAlgorithm.HS256, new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> JwtKey.hmac("k", JwtAlgorithm.HS512, new byte[63]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class Attacks {
        final JwtKeySet keys = JwtKeySet.of(RSA);
        final JwtVerifier verifier = JwtVerifier.builder(keys).clock(at(NOW)).build();
        final String payload = b64("{\"sub\":\"mallory\",\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}");

        @Test
        void anUnsecuredTokenWithAlgNoneIsRefused() {
            assertThat(refusal(verifier, b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + payload + "."))
                    .isEqualTo(Reason.UNSECURED);
            assertThat(refusal(verifier, b64("{\"alg\":\"NONE\"}") + "." + payload + "."))
                    .isIn(Reason.UNSECURED, Reason.MALFORMED);
        }

        @Test
        void anRsaPublicKeyUsedAsAnHmacSecretIsRefused() throws Exception {
            // The classic algorithm confusion: sign HS256 with the server's public key bytes.
            byte[] publicKeyBytes = RSA.publicKey().orElseThrow().getEncoded();
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                    new JWTClaimsSet.Builder().subject("mallory").expirationTime(Date.from(NOW.plusSeconds(600))).build());
            forged.sign(new MACSigner(publicKeyBytes));
            assertThat(refusal(verifier, forged.serialize())).isEqualTo(Reason.ALGORITHM_MISMATCH);
        }

        @Test
        void aForgedAlgorithmNameIsNotRepeatedInTheRefusal() {
            // the refusal's message is logged (BearerAuth, debug): a client-written alg must not forge lines
            String header = b64("{\"alg\":\"HS256\\nINFO forged log line\",\"kid\":\"rsa-1\"}");
            try {
                verifier.verify(header + "." + payload + "." + b64("sig"));
                throw new AssertionError("The token was accepted");
            } catch (InvalidTokenException e) {
                assertThat(e.reason()).isIn(Reason.ALGORITHM_MISMATCH, Reason.MALFORMED);
                assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("forged");
            }
            assertThat(JwtVerifier.printable("ES256")).isEqualTo("ES256");
            assertThat(JwtVerifier.printable("HS256\r\nX")).isEqualTo("an unrecognised algorithm");
        }

        @Test
        void anUnknownKidIsRefused() throws Exception {
            assertThat(refusal(verifier, signedByAttacker(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("other"))))
                    .isEqualTo(Reason.UNKNOWN_KEY);
        }

        @Test
        void aTokenCarryingItsOwnKeyInJwkJkuOrX5uIsRefused() throws Exception {
            RSAKey attacker = new RSAKey.Builder((RSAPublicKey) ATTACKER.publicKey().orElseThrow()).keyID("rsa-1").build();
            assertThat(refusal(verifier, signedByAttacker(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").jwk(attacker))))
                    .isEqualTo(Reason.FORBIDDEN_HEADER);
            assertThat(refusal(verifier, signedByAttacker(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                    .jwkURL(URI.create("https://evil.example/jwks.json"))))).isEqualTo(Reason.FORBIDDEN_HEADER);
            assertThat(refusal(verifier, signedByAttacker(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                    .x509CertURL(URI.create("https://evil.example/cert.pem"))))).isEqualTo(Reason.FORBIDDEN_HEADER);
        }

        @Test
        void aTokenSignedByAnotherKeyWithTheRightKidIsRefused() throws Exception {
            assertThat(refusal(verifier, signedByAttacker(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1"))))
                    .isEqualTo(Reason.BAD_SIGNATURE);
        }

        @Test
        void aTamperedPayloadIsRefused() {
            String token = JwtIssuer.builder(keys).clock(at(NOW)).build().issue("alice");
            String[] parts = token.split("\\.");
            assertThat(refusal(verifier, parts[0] + "." + payload + "." + parts[2])).isEqualTo(Reason.BAD_SIGNATURE);
        }

        @Test
        void aTokenWithItsSignatureStrippedIsRefused() {
            String token = JwtIssuer.builder(keys).clock(at(NOW)).build().issue("alice");
            String stripped = token.substring(0, token.lastIndexOf('.') + 1);
            assertThat(refusal(verifier, stripped)).isIn(Reason.BAD_SIGNATURE, Reason.MALFORMED);
        }

        @Test
        void anEs256SignatureOfZerosIsRefused() {
            // CVE-2022-21449 ("psychic signatures"): r = s = 0 must never verify.
            JwtKeySet ec = JwtKeySet.of(JwtKey.generate("ec", JwtAlgorithm.ES256));
            String token = JwtIssuer.builder(ec).build().issue("alice");
            String zeros = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
            String forged = token.substring(0, token.lastIndexOf('.') + 1) + zeros;
            assertThat(refusal(JwtVerifier.builder(ec).build(), forged)).isEqualTo(Reason.BAD_SIGNATURE);
        }

        @Test
        void aHeaderOfJsonNullIsRefusedAsMalformedNotWithANullPointerException() {
            assertThat(refusal(verifier, b64("null") + "." + payload + ".c2ln")).isEqualTo(Reason.MALFORMED);
        }

        @Test
        void aSignatureReSpelledInNonCanonicalBase64urlIsRefused() {
            // The last character of an 86-character HS512 signature carries 4 unused bits: nimbus's lenient
            // decoder reads "...A" and "...P" as the same bytes, so a token could be re-spelled without a key.
            JwtKeySet hs = JwtKeySet.of(JwtKey.generate("hs", JwtAlgorithm.HS512));
            String token = JwtIssuer.builder(hs).clock(at(NOW)).build().issue("alice");
            JwtVerifier hsVerifier = JwtVerifier.builder(hs).clock(at(NOW)).build();
            assertThat(hsVerifier.verify(token).subject()).isEqualTo("alice");
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertThat(signature.length() % 4).isEqualTo(2);
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            char last = signature.charAt(signature.length() - 1);
            String respelled = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 0x0f);
            assertThat(refusal(hsVerifier, respelled)).isEqualTo(Reason.MALFORMED);
        }

        @Test
        void malformedTokensAreRefused() {
            for (String junk : List.of("", "abc", "a.b", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9.%%%.xyz",
                    "x".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1))) {
                assertThat(refusal(verifier, junk)).as(junk).isEqualTo(Reason.MALFORMED);
            }
        }

        static final JwtKey ATTACKER = JwtKey.generate("attacker", JwtAlgorithm.RS256);

        String signedByAttacker(JWSHeader.Builder header) throws Exception {
            SignedJWT jwt = new SignedJWT(header.type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder()
                    .subject("mallory").expirationTime(Date.from(NOW.plusSeconds(600))).build());
            jwt.sign(new RSASSASigner((RSAPrivateKey) privateKeyOf(ATTACKER)));
            return jwt.serialize();
        }
    }

    static java.security.PrivateKey privateKeyOf(JwtKey key) throws Exception {
        var field = JwtKey.class.getDeclaredField("privateKey");
        field.setAccessible(true);
        return (java.security.PrivateKey) field.get(key);
    }

    @Nested
    class Claims {
        final JwtKeySet keys = JwtKeySet.of(JwtKey.generate("h", JwtAlgorithm.HS256));
        final JwtIssuer issuer = JwtIssuer.builder(keys).issuer("covet").audience("web").ttl(Duration.ofMinutes(5))
                .clock(at(NOW)).build();

        JwtVerifier.Builder verifierAt(Instant now) {
            return JwtVerifier.builder(keys).clock(at(now)).clockSkew(Duration.ofSeconds(30));
        }

        @Test
        void anExpiredTokenIsRefusedOnceTheClockSkewHasPassed() {
            String token = issuer.issue("alice");
            assertThat(verifierAt(NOW.plusSeconds(300 + 29)).build().verify(token).subject()).isEqualTo("alice");
            assertThat(refusal(verifierAt(NOW.plusSeconds(300 + 31)).build(), token)).isEqualTo(Reason.EXPIRED);
        }

        @Test
        void aTokenIssuedInTheFutureOrNotYetValidIsRefused() {
            String token = issuer.issue("alice");
            assertThat(refusal(verifierAt(NOW.minusSeconds(31)).build(), token)).isEqualTo(Reason.ISSUED_IN_FUTURE);
            assertThat(verifierAt(NOW.minusSeconds(29)).build().verify(token).subject()).isEqualTo("alice");
        }

        @Test
        void aTokenWhoseNotBeforeIsBeyondTheSkewIsRefused() throws Exception {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("h").type(AT_JWT).build(),
                    new JWTClaimsSet.Builder().subject("alice").notBeforeTime(Date.from(NOW.plusSeconds(60)))
                            .expirationTime(Date.from(NOW.plusSeconds(600))).build());
            jwt.sign(keys.signingKey().signer());
            assertThat(refusal(verifierAt(NOW).build(), jwt.serialize())).isEqualTo(Reason.NOT_YET_VALID);
            assertThat(verifierAt(NOW.plusSeconds(31)).build().verify(jwt.serialize()).subject()).isEqualTo("alice");
        }

        @Test
        void aTokenWithoutExpiryIsRefused() throws Exception {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("h").type(AT_JWT).build(),
                    new JWTClaimsSet.Builder().subject("alice").build());
            jwt.sign(keys.signingKey().signer());
            assertThat(refusal(verifierAt(NOW).build(), jwt.serialize())).isEqualTo(Reason.MISSING_CLAIM);
        }

        @Test
        void theIssuerAudienceAndRequiredClaimsAreChecked() {
            String token = issuer.issue("alice", Map.of("tenant", "t1"));
            assertThat(refusal(verifierAt(NOW).issuer("someone-else").build(), token)).isEqualTo(Reason.WRONG_ISSUER);
            assertThat(refusal(verifierAt(NOW).audience("mobile").build(), token)).isEqualTo(Reason.WRONG_AUDIENCE);
            assertThat(refusal(verifierAt(NOW).requireClaims("org").build(), token)).isEqualTo(Reason.MISSING_CLAIM);
            assertThat(verifierAt(NOW).issuer("covet").audience("mobile", "web").requireClaims("tenant").build()
                    .verify(token).claim("tenant")).contains("t1");
        }

        @Test
        void registeredClaimsCannotBeOverriddenByTheApp() {
            assertThatThrownBy(() -> issuer.issue("alice", Map.of("exp", 0))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** RFC 9068: an access token says so in {@code typ}; other JWTs signed with the same key are refused. */
    @Nested
    class TokenType {
        final JwtKeySet keys = JwtKeySet.of(JwtKey.generate("h", JwtAlgorithm.HS256));
        final JwtVerifier verifier = JwtVerifier.builder(keys).build();

        String signed(JOSEObjectType type) throws Exception {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("h").type(type).build(),
                    new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
            jwt.sign(keys.signingKey().signer());
            return jwt.serialize();
        }

        @Test
        void issuedTokensAreTypedAsAccessTokens() throws Exception {
            String token = JwtIssuer.builder(keys).build().issue("alice");
            assertThat(SignedJWT.parse(token).getHeader().getType()).isEqualTo(AT_JWT);
            assertThat(verifier.verify(token).subject()).isEqualTo("alice");
        }

        @Test
        void aRefreshTokenOrIdTokenSignedWithTheSameKeyIsNotTakenForAnAccessToken() throws Exception {
            assertThat(refusal(verifier, signed(new JOSEObjectType("refresh+jwt")))).isEqualTo(Reason.WRONG_TYPE);
            assertThat(refusal(verifier, signed(new JOSEObjectType("Refresh")))).isEqualTo(Reason.WRONG_TYPE);
            assertThat(refusal(verifier, signed(JOSEObjectType.JWT))).isEqualTo(Reason.WRONG_TYPE);
        }

        @Test
        void theTypeComparesCaseInsensitivelyWithOrWithoutTheApplicationPrefix() throws Exception {
            assertThat(verifier.verify(signed(new JOSEObjectType("application/AT+JWT"))).subject()).isEqualTo("alice");
            assertThat(verifier.verify(signed(new JOSEObjectType("At+Jwt"))).subject()).isEqualTo("alice");
        }

        @Test
        void anUntypedTokenIsRefusedUnlessTheVerifierAcceptsThem() throws Exception {
            String untyped = signed(null);
            assertThat(refusal(verifier, untyped)).isEqualTo(Reason.WRONG_TYPE);
            JwtVerifier lenient = JwtVerifier.builder(keys).acceptUntypedTokens().build();
            assertThat(lenient.verify(untyped).subject()).isEqualTo("alice");
            assertThat(refusal(lenient, signed(JOSEObjectType.JWT))).as("still only at+jwt when typed").isEqualTo(Reason.WRONG_TYPE);
        }

        @Test
        void otherTypesAreAcceptedOnlyWhenConfigured() throws Exception {
            JwtVerifier jwtToo = JwtVerifier.builder(keys).acceptTypes("at+jwt", "JWT").build();
            assertThat(jwtToo.verify(signed(JOSEObjectType.JWT)).subject()).isEqualTo("alice");
            assertThat(refusal(jwtToo, signed(new JOSEObjectType("refresh+jwt")))).isEqualTo(Reason.WRONG_TYPE);
            assertThat(refusal(jwtToo, signed(null))).isEqualTo(Reason.WRONG_TYPE);
            assertThatThrownBy(() -> JwtVerifier.builder(keys).acceptTypes()).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Rotation {
        @Test
        void tokensSignedBeforeARotationVerifyUntilTheOldKeyIsRetired() {
            JwtKeySet keys = JwtKeySet.of(JwtKey.generate("2026-01", JwtAlgorithm.ES256));
            JwtIssuer issuer = JwtIssuer.builder(keys).build();
            JwtVerifier verifier = JwtVerifier.builder(keys).build();
            String old = issuer.issue("alice");
            keys.rotate(JwtKey.generate("2026-02", JwtAlgorithm.ES256));
            String fresh = issuer.issue("alice");
            assertThat(SignedJWTs.kid(fresh)).isEqualTo("2026-02");
            assertThat(verifier.verify(old).subject()).isEqualTo("alice");
            keys.retire("2026-01");
            assertThat(refusal(verifier, old)).isEqualTo(Reason.UNKNOWN_KEY);
            assertThat(verifier.verify(fresh).subject()).isEqualTo("alice");
        }

        @Test
        void aTokenWithoutKidIsRefusedWhenSeveralKeysCouldVerifyIt() throws Exception {
            JwtKeySet keys = JwtKeySet.of(JwtKey.generate("a", JwtAlgorithm.HS256), JwtKey.generate("b", JwtAlgorithm.HS256));
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).build(),
                    new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
            jwt.sign(keys.signingKey().signer());
            assertThat(refusal(JwtVerifier.builder(keys).build(), jwt.serialize())).isEqualTo(Reason.UNKNOWN_KEY);
        }

        @Test
        void theJwksPublishesPublicKeysOnlyAndNeverAnHmacSecret() {
            JwtKeySet keys = JwtKeySet.of(JwtKey.generate("ed", JwtAlgorithm.EdDSA), JwtKey.generate("hs", JwtAlgorithm.HS256),
                    JwtKey.generate("rs", JwtAlgorithm.RS256));
            Covet app = Covet.create();
            keys.install(app);
            try (TestServer server = TestServer.start(app)) {
                TestResponse response = server.get("/.well-known/jwks.json");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/jwk-set+json"));
                assertThat(response.body()).contains("\"kid\":\"ed\"", "\"kid\":\"rs\"", "\"crv\":\"Ed25519\"")
                        .doesNotContain("\"hs\"", "\"k\":", "\"d\":", "\"p\":");
            }
        }

        @Test
        void aJwksOfKeysAStartupTaskStillGeneratesAnswers503UncacheableThenTheKeys() throws Exception {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Covet app = Covet.create();
            dev.covet.StartupTask<JwtKeySet> keys = app.startupTask("jwt-keys", () -> {
                release.await();
                return JwtKeySet.of(JwtKey.generate("es", JwtAlgorithm.ES256));
            });
            JwtKeySet.install(app, keys::get);
            try (TestServer server = TestServer.start(app)) {
                TestResponse early = server.get("/.well-known/jwks.json");
                assertThat(early.status()).isEqualTo(503);
                assertThat(early.header("Retry-After")).contains("1");
                assertThat(early.header("Cache-Control")).as("a 503 must not be cached for 5 minutes").isEmpty();
                release.countDown();
                assertThat(app.awaitReady(Duration.ofSeconds(10)).ready()).isTrue();
                TestResponse later = server.get("/.well-known/jwks.json");
                assertThat(later.status()).isEqualTo(200);
                assertThat(later.header("Cache-Control")).contains("public, max-age=300");
                assertThat(later.body()).contains("\"kid\":\"es\"");
            }
        }
    }

    static final class SignedJWTs {
        static String kid(String token) {
            try {
                return SignedJWT.parse(token).getHeader().getKeyID();
            } catch (java.text.ParseException e) {
                throw new AssertionError(e);
            }
        }
    }
}
