package dev.covet.realtime;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide room counts in Redis. Each instance writes its own number of members of a room into
 * the hash {@code <prefix>:count:<room>} under its instance id, and keeps {@code <prefix>:alive:<id>}
 * alive with a heartbeat; the key expires after the TTL, so the members of a crashed instance stop
 * counting within the TTL. {@link #count} is one round trip: a script sums the live instances' fields
 * and deletes the dead ones' (nobody else would).
 *
 * <p>The script reads keys it is not given ({@code alive:*}), which standalone Redis and Sentinel
 * allow and Redis Cluster does not.
 */
final class RedisCounts {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCounts.class);
    private static final String SUM_LIVE = """
            local total = 0
            local entries = redis.call('HGETALL', KEYS[1])
            for i = 1, #entries, 2 do
              if redis.call('EXISTS', ARGV[1] .. entries[i]) == 1 then
                total = total + tonumber(entries[i + 1])
              else
                redis.call('HDEL', KEYS[1], entries[i])
              end
            end
            return total
            """;

    private final StatefulRedisConnection<String, String> connection;
    private final String prefix;
    private final String instanceId;
    private final String aliveKey;
    private final Duration ttl;
    private final ScheduledExecutorService heartbeat;
    private volatile boolean closed;

    /**
     * Marks this instance alive (synchronously, so an unreachable Redis fails here) and starts the
     * heartbeat. {@code republish} is called with this instance's rooms' counts to be written again
     * when its liveness key had expired (Redis unreachable or the heartbeat late), since another
     * instance may have deleted its entries meanwhile.
     */
    RedisCounts(StatefulRedisConnection<String, String> connection, String prefix, String instanceId, Duration ttl,
            Consumer<RedisCounts> republish) {
        this.connection = connection;
        this.prefix = prefix;
        this.instanceId = instanceId;
        this.aliveKey = prefix + ":alive:" + instanceId;
        this.ttl = ttl;
        connection.sync().set(aliveKey, "1", SetArgs.Builder.px(ttl.toMillis()));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("covet-rooms-heartbeat").factory());
        long period = Math.max(1, ttl.toMillis() / 3); // two beats may be lost before the key expires
        heartbeat.scheduleAtFixedRate(() -> beat(republish), period, period, TimeUnit.MILLISECONDS);
    }

    private void beat(Consumer<RedisCounts> republish) {
        try {
            if (connection.sync().set(aliveKey, "1", SetArgs.Builder.xx().px(ttl.toMillis())) == null) {
                connection.sync().set(aliveKey, "1", SetArgs.Builder.px(ttl.toMillis()));
                LOG.warn("Rooms instance {} was counted as gone (its Redis liveness key expired); writing its counts again", instanceId);
                republish.accept(this);
            }
        } catch (RuntimeException e) {
            LOG.warn("Rooms heartbeat to Redis failed; this instance's members stop counting elsewhere after {} ms: {}",
                    ttl.toMillis(), e.toString());
        }
    }

    /**
     * Records that this instance has {@code n} members in {@code room}. Asynchronous; callers call it
     * while holding the room's lock so that writes for one room reach Redis in order (one connection
     * keeps the order of its commands).
     */
    void update(String room, int n) {
        if (closed) {
            return; // the local registry stays usable after close(); it just stops being counted
        }
        var command = n == 0
                ? connection.async().hdel(countKey(room), instanceId)
                : connection.async().hset(countKey(room), instanceId, Integer.toString(n));
        command.whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.warn("Could not write the count of room {} to Redis: {}", room, failure.toString());
            }
        });
    }

    /**
     * The members of {@code room} on every live instance.
     *
     * @throws IllegalStateException if Redis does not answer, or after {@link #close}
     */
    int count(String room) {
        if (closed) {
            throw new IllegalStateException("Rooms are closed: no cluster-wide count of room " + room);
        }
        try {
            Long total = connection.sync().eval(SUM_LIVE, ScriptOutputType.INTEGER, new String[] {countKey(room)}, prefix + ":alive:");
            return Math.toIntExact(total);
        } catch (RedisException e) {
            throw new IllegalStateException("Cannot read the cluster-wide count of room " + room + " from Redis: " + e.getMessage(), e);
        }
    }

    /** Stops the heartbeat and removes this instance's entries, so that its members stop counting at once. */
    void close(Set<String> rooms) {
        if (closed) {
            return;
        }
        stopHeartbeat();
        try {
            connection.sync().del(aliveKey); // first: from here on the entries below no longer count
            for (String room : rooms) {
                connection.sync().hdel(countKey(room), instanceId);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not remove this instance's room counts from Redis; they stop counting within {} ms: {}",
                    ttl.toMillis(), e.toString());
        }
    }

    /** Stops beating without removing anything, as a crash would (for tests). */
    void stopHeartbeat() {
        closed = true;
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String countKey(String room) {
        return prefix + ":count:" + room;
    }
}
