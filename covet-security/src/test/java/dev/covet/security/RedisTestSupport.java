package dev.covet.security;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
}
