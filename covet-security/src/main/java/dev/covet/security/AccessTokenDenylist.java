package dev.covet.security;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Access tokens revoked before their {@code exp} (logout, a stolen token), by {@code jti}.
 * {@link BearerAuth#denylist} consults it on every request after the token has verified.
 *
 * <p>An entry is kept until the token's {@code exp} plus {@link JwtVerifier#MAX_CLOCK_SKEW}, the
 * longest any verifier may still accept it, and then forgotten: the list never holds more than the
 * tokens revoked within one access-token lifetime. {@link #inMemory()} serves one instance;
 * {@link #redis} is shared by every instance (keys expire by themselves with {@code PXAT}).
 *
 * <p>{@code jti} must be unique per issuer ({@link JwtIssuer} writes a random UUID).
 */
public interface AccessTokenDenylist extends AutoCloseable {

    /**
     * Refuses the token with id {@code jti} from now until {@code expiresAt} (plus the clock skew).
     * A token already past that is not recorded.
     *
     * @throws DenylistUnavailableException if the store cannot be reached in time (nothing was revoked)
     */
    void revoke(String jti, Instant expiresAt);

    /**
     * Revokes the token {@code user} was authenticated with (logout).
     *
     * @throws IllegalArgumentException if its token has no {@code jti} or {@code exp}
     * @throws DenylistUnavailableException if the store cannot be reached in time
     */
    default void revoke(AuthenticatedUser user) {
        if (!(user.claims().get("jti") instanceof String jti) || !(user.claims().get("exp") instanceof Date exp)) {
            throw new IllegalArgumentException("This token has no jti or exp, so it cannot be revoked");
        }
        revoke(jti, exp.toInstant());
    }

    /**
     * True if {@code jti} was revoked and its entry has not expired.
     *
     * @throws DenylistUnavailableException if the store cannot be reached in time
     */
    boolean isRevoked(String jti);

    @Override
    default void close() { }

    /** The store failed (Redis down or slow); {@link BearerAuth} applies its failure policy. */
    final class DenylistUnavailableException extends RuntimeException {
        public DenylistUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A denylist in this JVM: for one instance; forgotten on restart. */
    static AccessTokenDenylist inMemory() {
        return new InMemory(Clock.systemUTC());
    }

    /** A denylist in this JVM on {@code clock} (for tests). */
    static AccessTokenDenylist inMemory(Clock clock) {
        return new InMemory(clock);
    }

    /**
     * A denylist in Redis under {@code prefix} ({@code <prefix>jti:<jti>}). A call without an answer
     * within {@code timeout} fails with {@link DenylistUnavailableException}, and for a second after a
     * failure calls fail at once. The list opens its own connection from {@code client} and closes it
     * on {@link #close()}.
     */
    static AccessTokenDenylist redis(RedisClient client, String prefix, Duration timeout) {
        return new Redis(client.connect(), prefix, timeout);
    }

    /** jti to the instant its entry may be forgotten. */
    final class InMemory implements AccessTokenDenylist {
        private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
        private final AtomicInteger revocations = new AtomicInteger();
        private final Clock clock;

        private InMemory(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void revoke(String jti, Instant expiresAt) {
            Instant forgetAt = expiresAt.plus(JwtVerifier.MAX_CLOCK_SKEW);
            if (clock.instant().isBefore(forgetAt)) {
                revoked.merge(jti, forgetAt, (a, b) -> a.isAfter(b) ? a : b);
            }
            // Sweeping every 1,024 revocations keeps the map at the live entries plus at most 1,024.
            if ((revocations.incrementAndGet() & 1023) == 0) {
                Instant now = clock.instant();
                revoked.values().removeIf(now::isAfter);
            }
        }

        @Override
        public boolean isRevoked(String jti) {
            Instant forgetAt = revoked.get(jti);
            return forgetAt != null && !clock.instant().isAfter(forgetAt);
        }

        int size() {
            return revoked.size();
        }
    }

    /** {@code SET <prefix>jti:<jti> 1 PXAT <forget-at>} and {@code EXISTS}. */
    final class Redis implements AccessTokenDenylist {
        private final StatefulRedisConnection<String, String> connection;
        private final RedisAsyncCommands<String, String> commands;
        private final String prefix;
        private final FailFastRedis redis;

        private Redis(StatefulRedisConnection<String, String> connection, String prefix, Duration timeout) {
            this.connection = connection;
            this.commands = connection.async();
            this.prefix = prefix;
            this.redis = new FailFastRedis(timeout);
        }

        @Override
        public void revoke(String jti, Instant expiresAt) {
            long forgetAt = expiresAt.plus(JwtVerifier.MAX_CLOCK_SKEW).toEpochMilli();
            if (forgetAt <= System.currentTimeMillis()) {
                return;
            }
            try {
                redis.await(() -> commands.set(prefix + "jti:" + jti, "1", SetArgs.Builder.pxAt(forgetAt)));
            } catch (FailFastRedis.Unavailable e) {
                throw new DenylistUnavailableException("Redis denylist: " + e.getMessage(), e.getCause());
            }
        }

        @Override
        public boolean isRevoked(String jti) {
            try {
                return redis.await(() -> commands.exists(prefix + "jti:" + jti)) > 0;
            } catch (FailFastRedis.Unavailable e) {
                throw new DenylistUnavailableException("Redis denylist: " + e.getMessage(), e.getCause());
            }
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
