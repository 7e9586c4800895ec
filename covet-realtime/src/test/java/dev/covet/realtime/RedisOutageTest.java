package dev.covet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.testkit.TcpProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With Redis configured, count() says so when Redis is gone instead of answering a local number. */
class RedisOutageTest {
    @Test
    void countFailsClearlyWhenRedisIsUnreachable() throws Exception {
        String channel = TestRedis.newChannel();
        try (TcpProxy proxy = TcpProxy.to(6379)) {
            Rooms rooms = Rooms.redis("redis://127.0.0.1:" + proxy.port(), channel, Duration.ofSeconds(5));
            try {
                assertThat(rooms.count("lobby")).isZero();
                proxy.close();
                long start = System.nanoTime();
                assertThatThrownBy(() -> rooms.count("lobby")).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("Cannot read the cluster-wide count of room lobby from Redis");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded wait").isLessThan(Duration.ofSeconds(5));
                assertThat(rooms.localCount("lobby")).isZero();
            } finally {
                rooms.close(); // logs that it could not clean up; the test deletes the keys below
            }
        } finally {
            TestRedis.deleteKeys(channel);
        }
    }
}
