package dev.covet.realtime;

import io.lettuce.core.RedisClient;
import java.util.List;
import java.util.UUID;

/** The Redis on this machine, as the tests use it: a random channel each, its keys deleted after. */
final class TestRedis {
    static final String URL = "redis://127.0.0.1:6379";

    private TestRedis() { }

    static String newChannel() {
        return "covet-test:" + UUID.randomUUID();
    }

    /** Deletes every key the rooms on {@code channel} wrote (a test channel holds a handful). */
    static void deleteKeys(String channel) {
        RedisClient client = RedisClient.create(URL);
        try (var connection = client.connect()) {
            List<String> keys = connection.sync().keys(channel + ":*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    /** Deletes one key, as if it had expired. */
    static void delete(String key) {
        RedisClient client = RedisClient.create(URL);
        try (var connection = client.connect()) {
            connection.sync().del(key);
        } finally {
            client.shutdown();
        }
    }
}
