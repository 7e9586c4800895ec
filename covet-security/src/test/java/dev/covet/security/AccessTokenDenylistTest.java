package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.covet.Covet;
import dev.covet.testkit.TcpProxy;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import io.lettuce.core.RedisClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccessTokenDenylistTest {
    static final JwtKeySet KEYS = JwtKeySet.of(JwtKey.generate("k", JwtAlgorithm.HS256));
    static final JwtIssuer ISSUER = JwtIssuer.builder(KEYS).build();

    /** An app whose /api routes are guarded with {@code denylist}; POST /api/logout revokes the caller's token. */
    static Covet app(AccessTokenDenylist denylist, RateLimiter.FailurePolicy whenUnavailable) {
        Covet app = Covet.create();
        app.group("/api", api -> {
            BearerAuth guard = BearerAuth.create(JwtVerifier.builder(KEYS).build());
            api.use(whenUnavailable == RateLimiter.FailurePolicy.FAIL_CLOSED ? guard.denylist(denylist)
                    : guard.denylist(denylist, whenUnavailable));
            api.get("/me", ctx -> ctx.text(AuthenticatedUser.require(ctx).subject()));
            api.post("/logout", ctx -> {
                denylist.revoke(AuthenticatedUser.require(ctx));
                ctx.status(204);
            });
        });
        return app;
    }

    static TestResponse get(TestServer server, String token) {
        return server.send(server.request("/api/me").header("Authorization", "Bearer " + token).GET());
    }

    static TestResponse logout(TestServer server, String token) {
        return server.send(server.request("/api/logout").header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    }

    abstract static class Contract {
        abstract AccessTokenDenylist denylist();

        @Test
        void aLoggedOutTokenIsRefusedWith401WhileOtherTokensOfTheSameUserStillPass() {
            try (TestServer server = TestServer.start(app(denylist(), RateLimiter.FailurePolicy.FAIL_CLOSED))) {
                String token = ISSUER.issue("alice");
                String otherDevice = ISSUER.issue("alice");
                assertThat(get(server, token).body()).isEqualTo("alice");
                assertThat(logout(server, token).status()).isEqualTo(204);
                TestResponse refused = get(server, token);
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.body()).contains("urn:covet:problem:invalid-token").doesNotContain("revoked", "deny");
                assertThat(get(server, otherDevice).body()).isEqualTo("alice");
            }
        }

        @Test
        void aTokenWithoutJtiIsRefusedBecauseItCouldNeverBeRevoked() throws Exception {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k").type(new JOSEObjectType("at+jwt")).build(),
                    new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
            jwt.sign(KEYS.signingKey().signer());
            try (TestServer server = TestServer.start(app(denylist(), RateLimiter.FailurePolicy.FAIL_CLOSED))) {
                assertThat(get(server, jwt.serialize()).status()).isEqualTo(401);
            }
        }

        @Test
        void aTokenPastItsExpiryAndTheLargestSkewIsNotRecorded() {
            AccessTokenDenylist denylist = denylist();
            String jti = UUID.randomUUID().toString();
            denylist.revoke(jti, Instant.now().minus(JwtVerifier.MAX_CLOCK_SKEW).minusSeconds(1));
            assertThat(denylist.isRevoked(jti)).isFalse();
        }
    }

    /** A clock a test moves by hand. */
    static final class ManualClock extends Clock {
        volatile Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Nested
    class InMemory extends Contract {
        @Override
        AccessTokenDenylist denylist() {
            return AccessTokenDenylist.inMemory();
        }

        @Test
        void anEntryIsKeptUntilExpiryPlusTheLargestSkewThenForgotten() {
            ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
            AccessTokenDenylist denylist = AccessTokenDenylist.inMemory(clock);
            Instant exp = clock.now.plusSeconds(900);
            denylist.revoke("t1", exp);
            clock.now = exp.plus(JwtVerifier.MAX_CLOCK_SKEW);
            assertThat(denylist.isRevoked("t1")).isTrue();
            clock.now = clock.now.plusMillis(1);
            assertThat(denylist.isRevoked("t1")).isFalse();
        }

        @Test
        void expiredEntriesAreSweptSoTheListHoldsOnlyLiveRevocations() {
            ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
            AccessTokenDenylist.InMemory denylist = (AccessTokenDenylist.InMemory) AccessTokenDenylist.inMemory(clock);
            for (int i = 0; i < 50_000; i++) {
                denylist.revoke("old-" + i, clock.now.plusSeconds(900));
            }
            assertThat(denylist.size()).isEqualTo(50_000);
            clock.now = clock.now.plusSeconds(900).plus(JwtVerifier.MAX_CLOCK_SKEW).plusSeconds(1);
            for (int i = 0; i < 2_048; i++) {
                denylist.revoke("new-" + i, clock.now.plusSeconds(900));
            }
            assertThat(denylist.size()).isLessThanOrEqualTo(2_048);
            assertThat(denylist.isRevoked("new-0")).isTrue();
        }
    }

    @Nested
    class InRedis extends Contract {
        @RegisterExtension
        static final RedisTestSupport.Scratch redis = RedisTestSupport.Scratch.open();

        @Override
        AccessTokenDenylist denylist() {
            return AccessTokenDenylist.redis(redis.client(), redis.prefix(), Duration.ofSeconds(2));
        }

        @Test
        void theRedisKeyExpiresWithTheTokenPlusTheLargestSkew() {
            try (AccessTokenDenylist denylist = denylist()) {
                Instant exp = Instant.now().plusSeconds(900);
                denylist.revoke("ttl-check", exp);
                long ttlMillis = redis.connection().sync().pttl(redis.prefix() + "jti:ttl-check");
                long expected = Duration.between(Instant.now(), exp.plus(JwtVerifier.MAX_CLOCK_SKEW)).toMillis();
                assertThat(ttlMillis).isBetween(expected - 5_000, expected + 1_000);
            }
        }

        @Test
        void twoInstancesSharingOneRedisDenylistBothRefuseATokenRevokedOnEither() {
            try (AccessTokenDenylist listA = denylist(); AccessTokenDenylist listB = denylist();
                 TestServer a = TestServer.start(app(listA, RateLimiter.FailurePolicy.FAIL_CLOSED));
                 TestServer b = TestServer.start(app(listB, RateLimiter.FailurePolicy.FAIL_CLOSED))) {
                String token = ISSUER.issue("bob");
                assertThat(get(b, token).status()).isEqualTo(200);
                assertThat(logout(a, token).status()).isEqualTo(204);
                assertThat(get(a, token).status()).isEqualTo(401);
                assertThat(get(b, token).status()).isEqualTo(401);
            }
        }

        @Test
        void whenRedisIsDownFailClosedAnswers503FailOpenServesAndBothRecover() throws Exception {
            try (TcpProxy proxy = TcpProxy.to(6379)) {
                RedisClient viaProxy = RedisTestSupport.client(proxy.port());
                try (AccessTokenDenylist closedList = AccessTokenDenylist.redis(viaProxy, redis.prefix(), Duration.ofMillis(300));
                     AccessTokenDenylist openList = AccessTokenDenylist.redis(viaProxy, redis.prefix(), Duration.ofMillis(300));
                     TestServer closed = TestServer.start(app(closedList, RateLimiter.FailurePolicy.FAIL_CLOSED));
                     TestServer open = TestServer.start(app(openList, RateLimiter.FailurePolicy.FAIL_OPEN))) {
                    String token = ISSUER.issue("carol");
                    String revoked = ISSUER.issue("carol");
                    assertThat(logout(closed, revoked).status()).isEqualTo(204);
                    assertThat(get(closed, token).status()).isEqualTo(200);

                    proxy.cut();
                    TestResponse refused = get(closed, token);
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.header("Retry-After")).contains("5");
                    assertThat(refused.body()).contains("urn:covet:problem:service-unavailable")
                            .doesNotContain("Redis", "127.0.0.1", String.valueOf(proxy.port()));
                    assertThat(get(open, token).status()).isEqualTo(200);
                    // Fail open is what it says: a revoked token passes while the list cannot be read.
                    assertThat(get(open, revoked).status()).isEqualTo(200);
                    assertThatThrownBy(() -> openList.revoke("during-outage", Instant.now().plusSeconds(60)))
                            .isInstanceOf(AccessTokenDenylist.DenylistUnavailableException.class);
                    // An invalid token is still refused without asking the denylist.
                    assertThat(get(closed, "garbage").status()).isEqualTo(401);

                    proxy.restore();
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    int status;
                    do {
                        Thread.sleep(200);
                        status = get(closed, token).status();
                    } while (status != 200 && System.nanoTime() < deadline);
                    assertThat(status).isEqualTo(200);
                    assertThat(get(closed, revoked).status()).isEqualTo(401);
                    do {
                        Thread.sleep(200);
                        status = get(open, revoked).status();
                    } while (status != 401 && System.nanoTime() < deadline);
                    assertThat(status).isEqualTo(401);
                } finally {
                    viaProxy.shutdown();
                }
            }
        }
    }
}
