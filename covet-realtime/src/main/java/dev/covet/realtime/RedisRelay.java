package dev.covet.realtime;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries {@link Rooms} sends between instances over one Redis pub/sub channel (Lettuce). A message
 * is four header lines (origin instance, kind, target, excluded session) and the text; names never
 * contain line breaks (Rooms checks), so the text may. Publishing is asynchronous and never blocks
 * a sender; a failed publish is logged.
 */
final class RedisRelay {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRelay.class);

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    enum Kind { ROOM, SESSION, USER }

    interface Delivery {
        void deliver(Kind kind, String target, String except, String text);
    }

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> publisher;
    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final String channel;
    private final String instanceId;

    RedisRelay(String url, String channel, String instanceId, Delivery delivery) {
        this.channel = channel;
        this.instanceId = instanceId;
        this.client = RedisClient.create(url);
        try {
            this.publisher = client.connect();
            this.subscriber = client.connectPubSub();
            // bounds the synchronous calls (RedisCounts: counts, heartbeat) instead of Lettuce's 60 s
            publisher.setTimeout(COMMAND_TIMEOUT);
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException("Cannot connect to Redis at " + url + " for rooms: " + e.getMessage(), e);
        }
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                if (from.equals(RedisRelay.this.channel)) {
                    receive(message, delivery);
                }
            }
        });
        subscriber.sync().subscribe(channel); // returns once subscribed: no broadcast after this is missed
    }

    void publish(Kind kind, String target, String except, String text) {
        String message = instanceId + '\n' + kind.name() + '\n' + target + '\n' + except + '\n' + text;
        publisher.async().publish(channel, message).whenComplete((receivers, failure) -> {
            if (failure != null) {
                LOG.warn("Could not publish a rooms message to Redis channel {}: {}", channel, failure.toString());
            }
        });
    }

    private void receive(String message, Delivery delivery) {
        String[] parts = message.split("\n", 5);
        if (parts.length != 5) {
            LOG.warn("Ignoring a malformed rooms message on Redis channel {}", channel);
            return;
        }
        if (parts[0].equals(instanceId)) {
            return; // delivered locally when it was sent
        }
        try {
            delivery.deliver(Kind.valueOf(parts[1]), parts[2], parts[3], parts[4]);
        } catch (RuntimeException e) {
            LOG.warn("Could not deliver a rooms message from Redis: {}", e.toString());
        }
    }

    /** The connection commands other than pub/sub go through (shared with {@link RedisCounts}). */
    StatefulRedisConnection<String, String> connection() {
        return publisher;
    }

    void close() {
        subscriber.close();
        publisher.close();
        client.shutdown();
    }
}
