package dev.covet.jmh;

import dev.covet.security.AccessTokenDenylist;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code BearerAuth.denylist(...)} adds to each authenticated request: one
 * {@link AccessTokenDenylist#isRevoked} of a token that is not revoked (the common case), in memory
 * with {@value #REVOKED} entries, and in the Redis on this machine (127.0.0.1:6379, one round trip over
 * loopback; the run fails if Redis is not there). Compare with {@link JwtBenchmark}'s verify figures.
 * The Redis keys are written under a random prefix and deleted after the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenDenylistBenchmark {
    static final int REVOKED = 100_000;
    private AccessTokenDenylist inMemory;
    private AccessTokenDenylist redis;
    private RedisClient client;
    private String prefix;
    private final String liveJti = UUID.randomUUID().toString();

    @Setup(Level.Trial)
    public void setUp() {
        Instant exp = Instant.now().plusSeconds(3600);
        inMemory = AccessTokenDenylist.inMemory();
        for (int i = 0; i < REVOKED; i++) {
            inMemory.revoke(UUID.randomUUID().toString(), exp);
        }
        client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(6379)
                .withTimeout(Duration.ofSeconds(2)).build());
        prefix = "covet-jmh:" + UUID.randomUUID() + ":";
        redis = AccessTokenDenylist.redis(client, prefix, Duration.ofSeconds(1));
        String revokedJti = UUID.randomUUID().toString();
        inMemory.revoke(revokedJti, exp);
        redis.revoke(revokedJti, exp);
        if (inMemory.isRevoked(liveJti) || redis.isRevoked(liveJti) || !inMemory.isRevoked(revokedJti) || !redis.isRevoked(revokedJti)) {
            throw new IllegalStateException("The denylists do not answer as expected");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = new ArrayList<>();
            ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(prefix + "*")).forEachRemaining(keys::add);
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        }
        redis.close();
        client.shutdown();
    }

    @Benchmark
    public boolean inMemoryLookup() {
        return inMemory.isRevoked(liveJti);
    }

    @Benchmark
    public boolean redisLookup() {
        return redis.isRevoked(liveJti);
    }
}
