package dev.covet.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.Covet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two app instances in one JVM sharing rooms through the Redis at 127.0.0.1:6379, on a channel of
 * their own (a random name, so parallel runs do not hear each other).
 */
class RedisRoomsTest {
    private static final String REDIS = "redis://127.0.0.1:6379";
    private final String channel = "covet-test:" + UUID.randomUUID();
    private final Rooms roomsA = Rooms.redis(REDIS, channel);
    private final Rooms roomsB = Rooms.redis(REDIS, channel);
    private final Covet appA = start(roomsA);
    private final Covet appB = start(roomsB);

    private static Covet start(Rooms rooms) {
        Covet app = Covet.create(c -> c.port(0).handleSignals(false).loadExternal(false).shutdownTimeout(Duration.ofSeconds(2)));
        app.ws("/chat/{room}", ws -> ws
                .onOpen(session -> {
                    session.context().queryParam("user").ifPresent(user -> rooms.identify(session, user));
                    rooms.join(session, session.context().pathParam("room"));
                    session.sendText("joined " + session.id());
                })
                .onText((session, text) -> rooms.broadcastExcept(session.context().pathParam("room"), text, session)));
        return app.start();
    }

    @AfterEach
    void stop() {
        appA.stop();
        appB.stop();
        roomsA.close();
        roomsB.close();
    }

    @Test
    void aClientOnOneInstanceReceivesABroadcastSentFromTheOther() throws Exception {
        try (var onA = Clients.open(appA.port(), "/chat/lobby"); var onB = Clients.open(appB.port(), "/chat/lobby")) {
            assertThat(onA.next()).startsWith("joined");
            assertThat(onB.next()).startsWith("joined");
            assertThat(roomsA.distributed()).isTrue();

            roomsB.broadcast("lobby", "from B");
            assertThat(onA.next()).isEqualTo("from B");
            assertThat(onB.next()).isEqualTo("from B");

            onB.send("hello from a client on B");
            assertThat(onA.next()).isEqualTo("hello from a client on B");
            assertThat(onB.nextWithin(Duration.ofMillis(300))).as("sender excluded everywhere").isEmpty();
            assertThat(onA.nextWithin(Duration.ofMillis(100))).as("delivered once").isEmpty();
        }
    }

    @Test
    void sendsToAUserOrAConnectionReachTheInstanceThatHoldsIt() throws Exception {
        try (var onA = Clients.open(appA.port(), "/chat/x?user=ann")) {
            String id = onA.next().substring("joined ".length());
            roomsB.sendToUser("ann", "for ann");
            assertThat(onA.next()).isEqualTo("for ann");
            roomsB.sendTo(id, "for that connection");
            assertThat(onA.next()).isEqualTo("for that connection");
            assertThat(roomsB.count("x")).as("counts are per instance").isZero();
        }
    }
}
