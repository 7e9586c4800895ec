package dev.covet.security;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Redis on this machine (bin/services starts it), with short timeouts so a broken link fails fast. */
final class RedisTestSupport {
    private RedisTestSupport() { }

    static RedisClient client(int port) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(2)).build());
        return client;
    }

    /** Deletes every key under {@code prefix} (tests use a random prefix). */
    static <V> void deleteKeys(RedisCommands<String, V> redis, String prefix) {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(redis, ScanArgs.Builder.matches(prefix + "*").limit(500)).forEachRemaining(keys::add);
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
    }

    /**
     * A client, a connection and a random key prefix for one test class. Registered as
     * {@code @RegisterExtension static final Scratch redis = Scratch.open();} it deletes its keys and
     * disconnects after the class.
     */
    record Scratch(RedisClient client, StatefulRedisConnection<String, String> connection, String prefix)
            implements AfterAllCallback {
        static Scratch open() {
            RedisClient client = RedisTestSupport.client(6379);
            return new Scratch(client, client.connect(), "covet-test:" + UUID.randomUUID() + ":");
        }

        @Override
        public void afterAll(ExtensionContext context) {
            deleteKeys(connection.sync(), prefix);
            connection.close();
            client.shutdown();
        }
    }
}
