package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.Covet;
import dev.covet.testkit.TestServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemoteJwksTest {

    @Test
    void tokensFromAnotherCovetAppVerifyAgainstItsPublishedJwks() {
        JwtKeySet keys = JwtKeySet.of(JwtKey.generate("rs", JwtAlgorithm.RS256), JwtKey.generate("ed", JwtAlgorithm.EdDSA),
                JwtKey.generate("ps", JwtAlgorithm.PS256), JwtKey.generate("hs", JwtAlgorithm.HS256));
        Covet issuerApp = Covet.create();
        keys.install(issuerApp);
        try (TestServer server = TestServer.start(issuerApp)) {
            RemoteJwks remote = RemoteJwks.builder(server.uri(JwtKeySet.JWKS_PATH)).minRefreshInterval(Duration.ZERO).build();
            JwtVerifier verifier = JwtVerifier.builder(remote).build();
            for (String kid : new String[] {"ed", "ps", "rs"}) {
                keys.rotate(keys.byKid(kid).orElseThrow());
                assertThat(verifier.verify(JwtIssuer.builder(keys).build().issue("alice")).subject()).isEqualTo("alice");
            }
            assertThat(remote.fetches()).isEqualTo(1);
            // The HMAC secret is not published, so a token signed with it has an unknown kid here.
            keys.rotate(keys.byKid("hs").orElseThrow());
            assertThatThrownBy(() -> verifier.verify(JwtIssuer.builder(keys).build().issue("alice")))
                    .isInstanceOfSatisfying(InvalidTokenException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.UNKNOWN_KEY));
        }
    }

    @Test
    void aRotatedKeyIsPickedUpByRefetchingOnAnUnknownKidButNotMoreOftenThanAllowed() {
        JwtKeySet keys = JwtKeySet.of(JwtKey.generate("one", JwtAlgorithm.ES256));
        Covet issuerApp = Covet.create();
        keys.install(issuerApp);
        try (TestServer server = TestServer.start(issuerApp)) {
            RemoteJwks remote = RemoteJwks.builder(server.uri(JwtKeySet.JWKS_PATH)).minRefreshInterval(Duration.ofMinutes(1)).build();
            JwtVerifier verifier = JwtVerifier.builder(remote).build();
            JwtIssuer issuer = JwtIssuer.builder(keys).build();
            assertThat(verifier.verify(issuer.issue("a")).subject()).isEqualTo("a");
            keys.rotate(JwtKey.generate("two", JwtAlgorithm.ES256));
            // Within the minimum interval the new kid is unknown: random kids cannot force fetches.
            assertThatThrownBy(() -> verifier.verify(issuer.issue("a"))).isInstanceOf(InvalidTokenException.class);
            for (int i = 0; i < 20; i++) {
                assertThat(remote.byKid("random-" + i)).isEmpty();
            }
            assertThat(remote.fetches()).isEqualTo(1);

            RemoteJwks eager = RemoteJwks.builder(server.uri(JwtKeySet.JWKS_PATH)).minRefreshInterval(Duration.ZERO).build();
            assertThat(eager.byKid("one")).isPresent();
            assertThat(eager.byKid("two")).isPresent();
        }
    }

    @Test
    void aJwksUrlMustUseHttpsUnlessItIsLocal() {
        assertThatThrownBy(() -> RemoteJwks.create(URI.create("http://idp.example.com/jwks.json")))
                .isInstanceOf(IllegalArgumentException.class);
        RemoteJwks.create(URI.create("https://idp.example.com/jwks.json"));
    }
}
