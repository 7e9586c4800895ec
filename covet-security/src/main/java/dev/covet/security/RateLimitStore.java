package dev.covet.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where token buckets live: {@link #inMemory()} (Bucket4j, this JVM) or {@link #redis} (Bucket4j
 * over Lettuce, shared by every instance so they enforce one limit together).
 */
public interface RateLimitStore extends AutoCloseable {

    /**
     * Takes one token from the bucket {@code key} configured by {@code limit}.
     *
     * @throws RateLimitStoreException if the store cannot be reached in time
     */
    RateLimit.Result tryConsume(String key, RateLimit limit);

    @Override
    default void close() { }

    /** The store failed (Redis down or slow); {@link RateLimiter} applies its failure policy. */
    final class RateLimitStoreException extends RuntimeException {
        public RateLimitStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Buckets in this JVM. At most {@code 100,000} keys are kept: past that, buckets that are full again
     * (idle clients) are dropped (at most one sweep a second), and if that is not enough, arbitrary
     * buckets down to 90 % (those clients start afresh), so spoofed or rotating keys can neither grow the
     * heap without limit nor make every request scan the map.
     */
    static RateLimitStore inMemory() {
        return new InMemory();
    }

    /**
     * Buckets in Redis under {@code prefix}, each expiring once it would be full again. A call that gets
     * no answer within {@code timeout} fails with {@link RateLimitStoreException}; for one second after a
     * failure calls fail at once without trying Redis, so an outage costs each request nothing rather
     * than the whole timeout. The store opens its own connection from {@code client} and closes it on
     * {@link #close()}.
     */
    static RateLimitStore redis(RedisClient client, String prefix, Duration timeout) {
        return new Redis(client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)), prefix, timeout);
    }

    private static BucketConfiguration configuration(RateLimit limit) {
        return BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(limit.capacity())
                .refillGreedy(limit.capacity(), limit.period()).build()).build();
    }

    private static RateLimit.Result result(RateLimit limit, ConsumptionProbe probe) {
        return new RateLimit.Result(probe.isConsumed(), limit.capacity(), probe.getRemainingTokens(),
                Duration.ofNanos(probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill()),
                Duration.ofNanos(probe.getNanosToWaitForReset()));
    }

    /** Bucket4j buckets in a map. */
    final class InMemory implements RateLimitStore {
        static final int MAX_KEYS = 100_000;
        private record Entry(Bucket bucket, long capacity) { }
        private final Map<String, Entry> buckets = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicLong lastSweep =
                new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - 2_000_000_000L);

        private InMemory() { }

        @Override
        public RateLimit.Result tryConsume(String key, RateLimit limit) {
            if (buckets.size() >= MAX_KEYS) {
                sweep();
            }
            Entry entry = buckets.computeIfAbsent(key + "#" + limit.capacity() + "/" + limit.period().toMillis(),
                    k -> new Entry(Bucket.builder().addLimit(configuration(limit).getBandwidths()[0]).build(), limit.capacity()));
            return result(limit, entry.bucket().tryConsumeAndReturnRemaining(1));
        }

        private void sweep() {
            long now = System.nanoTime();
            long last = lastSweep.get();
            if (now - last < 1_000_000_000L || !lastSweep.compareAndSet(last, now)) {
                return;
            }
            buckets.values().removeIf(e -> e.bucket().getAvailableTokens() >= e.capacity());
            var it = buckets.keySet().iterator();
            while (buckets.size() > MAX_KEYS * 9 / 10 && it.hasNext()) {
                it.next();
                it.remove();
            }
        }

        int size() {
            return buckets.size();
        }
    }

    /** Bucket4j's compare-and-swap buckets over Lettuce. */
    final class Redis implements RateLimitStore {
        private final StatefulRedisConnection<String, byte[]> connection;
        private final AsyncProxyManager<String> buckets;
        private final String prefix;
        private final FailFastRedis redis;

        private Redis(StatefulRedisConnection<String, byte[]> connection, String prefix, Duration timeout) {
            this.connection = connection;
            this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build().asAsync();
            this.prefix = prefix;
            this.redis = new FailFastRedis(timeout);
        }

        @Override
        public RateLimit.Result tryConsume(String key, RateLimit limit) {
            BucketConfiguration configuration = configuration(limit);
            try {
                return result(limit, redis.await(() -> buckets.builder().build(prefix + key + "#" + limit.capacity() + "/"
                        + limit.period().toMillis(), () -> CompletableFuture.completedFuture(configuration))
                        .tryConsumeAndReturnRemaining(1)));
            } catch (FailFastRedis.Unavailable e) {
                throw new RateLimitStoreException("Redis rate-limit store: " + e.getMessage(), e.getCause());
            }
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
