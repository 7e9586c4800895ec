package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.security.InvalidTokenException.Reason;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RefreshTokensTest {
    static final JwtKeySet KEYS = JwtKeySet.of(JwtKey.generate("k", JwtAlgorithm.HS256));
    static final JwtVerifier VERIFIER = JwtVerifier.builder(KEYS).build();

    static Reason refusal(Runnable action) {
        try {
            action.run();
        } catch (InvalidTokenException e) {
            return e.reason();
        }
        throw new AssertionError("accepted");
    }

    abstract static class Contract {
        abstract RefreshTokenStore store();

        RefreshTokens tokens() {
            return RefreshTokens.create(JwtIssuer.builder(KEYS).build(), store());
        }

        @Test
        void aRefreshTokenYieldsANewPairWithTheSameSubjectAndClaims() {
            RefreshTokens tokens = tokens();
            TokenPair first = tokens.issue("alice", Map.of("roles", List.of("admin")));
            TokenPair second = tokens.refresh(first.refreshToken());
            assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
            AuthenticatedUser user = VERIFIER.verify(second.accessToken());
            assertThat(user.subject()).isEqualTo("alice");
            assertThat(user.roles()).containsExactly("admin");
        }

        @Test
        void aRefreshTokenIsNoAccessTokenAndAnAccessTokenIsNoRefreshToken() {
            RefreshTokens tokens = tokens();
            TokenPair pair = tokens.issue("alice", Map.of());
            // Refresh tokens are opaque random strings, not JWTs: the verifier cannot parse one.
            assertThat(refusal(() -> VERIFIER.verify(pair.refreshToken()))).isEqualTo(Reason.MALFORMED);
            // An access token was never stored as a refresh token, so it cannot be exchanged.
            assertThat(refusal(() -> tokens.refresh(pair.accessToken()))).isEqualTo(Reason.MALFORMED);
            assertThat(tokens.refresh(pair.refreshToken()).accessToken()).isNotEmpty();
        }

        @Test
        void reusingARotatedRefreshTokenRevokesTheWholeFamily() {
            RefreshTokens tokens = tokens();
            TokenPair first = tokens.issue("alice", Map.of());
            TokenPair second = tokens.refresh(first.refreshToken());
            // The thief replays the old token: refused, and the legitimate newer token dies with it.
            assertThat(refusal(() -> tokens.refresh(first.refreshToken()))).isEqualTo(Reason.REUSED);
            assertThat(refusal(() -> tokens.refresh(second.refreshToken()))).isEqualTo(Reason.REVOKED);
            // Other families are untouched.
            TokenPair other = tokens.issue("alice", Map.of());
            assertThat(tokens.refresh(other.refreshToken()).accessToken()).isNotEmpty();
        }

        @Test
        void twoConcurrentRefreshesWithOneTokenLetExactlyOneWin() throws Exception {
            RefreshTokens tokens = tokens();
            TokenPair pair = tokens.issue("alice", Map.of());
            ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 8; i++) {
                    pool.submit(() -> {
                        go.await();
                        try {
                            results.add(tokens.refresh(pair.refreshToken()));
                        } catch (InvalidTokenException e) {
                            results.add(e.reason());
                        }
                        return null;
                    });
                }
                go.countDown();
            }
            assertThat(results.stream().filter(TokenPair.class::isInstance)).hasSize(1);
            // The first loser revokes the family; later losers find it revoked.
            assertThat(results).filteredOn(r -> !(r instanceof TokenPair)).hasSize(7)
                    .allMatch(r -> r == Reason.REUSED || r == Reason.REVOKED).contains(Reason.REUSED);
        }

        @Test
        void aRevokedOrUnknownRefreshTokenIsRefused() {
            RefreshTokens tokens = tokens();
            TokenPair pair = tokens.issue("alice", Map.of());
            tokens.revoke(pair.refreshToken());
            assertThat(refusal(() -> tokens.refresh(pair.refreshToken()))).isEqualTo(Reason.REVOKED);
            assertThat(refusal(() -> tokens.refresh("made-up"))).isEqualTo(Reason.MALFORMED);
        }
    }

    @Nested
    class InMemory extends Contract {
        final RefreshTokenStore store = InMemoryRefreshTokenStore.create();

        @Override
        RefreshTokenStore store() {
            return store;
        }

        @Test
        void anExpiredRefreshTokenIsRefused() {
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            RefreshTokenStore store = InMemoryRefreshTokenStore.create(Clock.fixed(start, ZoneOffset.UTC));
            RefreshTokens tokens = RefreshTokens.create(JwtIssuer.builder(KEYS).build(), store, Duration.ofDays(1),
                    Clock.fixed(start, ZoneOffset.UTC));
            TokenPair pair = tokens.issue("alice", Map.of());
            RefreshTokens twoDaysLater = RefreshTokens.create(JwtIssuer.builder(KEYS).build(), store, Duration.ofDays(1),
                    Clock.fixed(start.plus(Duration.ofDays(2)), ZoneOffset.UTC));
            assertThat(refusal(() -> twoDaysLater.refresh(pair.refreshToken()))).isEqualTo(Reason.EXPIRED);
            assertThat(refusal(() -> twoDaysLater.refresh("made-up"))).isEqualTo(Reason.MALFORMED);
        }
    }

    @Nested
    class InRedis extends Contract {
        @RegisterExtension
        static final RedisTestSupport.Scratch redis = RedisTestSupport.Scratch.open();

        @Override
        RefreshTokenStore store() {
            return RedisRefreshTokenStore.create(redis.connection(), redis.prefix());
        }

        @Test
        void storedTokensAreKeyedByHashAndExpireInRedis() {
            TokenPair pair = tokens().issue("alice", Map.of());
            RedisCommands<String, String> commands = redis.connection().sync();
            String key = redis.prefix() + "rt:" + RefreshTokens.hash(pair.refreshToken());
            assertThat(commands.get(key)).doesNotContain(pair.refreshToken()).contains("alice");
            assertThat(commands.ttl(key)).isBetween(Duration.ofDays(29).toSeconds(), Duration.ofDays(30).toSeconds());
        }
    }
}
