package dev.covet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.Covet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two app instances in one JVM sharing rooms through the Redis at 127.0.0.1:6379, on a channel of
 * their own (a random name, so parallel runs do not hear each other; its count keys are deleted
 * after each test). The liveness TTL is short so that a crashed instance stops counting quickly.
 */
class RedisRoomsTest {
    private static final String REDIS = TestRedis.URL;
    private static final Duration TTL = Duration.ofMillis(1500);
    private final String channel = TestRedis.newChannel();
    private final Rooms roomsA = Rooms.redis(REDIS, channel, TTL);
    private final Rooms roomsB = Rooms.redis(REDIS, channel, TTL);
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
        TestRedis.deleteKeys(channel);
    }

    /** Polls {@code count} until it is {@code expected}; fails with the last value after {@code within}. */
    private static void awaitCount(Rooms rooms, String room, int expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int last = rooms.count(room);
        while (last != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = rooms.count(room);
        }
        assertThat(last).as("count(%s) after up to %s", room, within).isEqualTo(expected);
    }

    /** Two connections on A and one on B in "lobby", each seen joined by its client. */
    private void joinThree(ThrowingBody body) throws Exception {
        try (var a1 = Clients.open(appA.port(), "/chat/lobby"); var a2 = Clients.open(appA.port(), "/chat/lobby");
                var b1 = Clients.open(appB.port(), "/chat/lobby")) {
            for (var client : List.of(a1, a2, b1)) {
                assertThat(client.next()).startsWith("joined");
            }
            awaitCount(roomsA, "lobby", 3, Duration.ofSeconds(2));
            awaitCount(roomsB, "lobby", 3, Duration.ofSeconds(2));
            body.run(a1);
        }
    }

    private interface ThrowingBody {
        void run(AutoCloseable oneClientOnA) throws Exception;
    }

    @Test
    void countsAreClusterWideWhileMemberListsStayLocal() throws Exception {
        joinThree(a1 -> {
            assertThat(roomsA.localCount("lobby")).isEqualTo(2);
            assertThat(roomsB.localCount("lobby")).isEqualTo(1);
            assertThat(roomsA.members("lobby")).hasSize(2);
            assertThat(roomsB.members("lobby")).hasSize(1);
            assertThat(roomsB.count("elsewhere")).isZero();

            a1.close();
            awaitCount(roomsB, "lobby", 2, Duration.ofSeconds(2));
            assertThat(roomsA.count("lobby")).isEqualTo(2);
        });
    }

    @Test
    void aClosedInstanceStopsCountingAtOnce() throws Exception {
        joinThree(a1 -> {
            roomsB.close();
            assertThat(roomsA.count("lobby")).as("B removed its entries before close() returned").isEqualTo(2);
            assertThatThrownBy(() -> roomsB.count("lobby")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat(roomsB.localCount("lobby")).as("the local registry stays usable").isEqualTo(1);
        });
    }

    @Test
    void aCrashedInstanceStopsCountingAfterTheTtl() throws Exception {
        joinThree(a1 -> {
            long crashed = System.nanoTime();
            roomsB.simulateCrash();
            int soon = roomsA.count("lobby");
            if (System.nanoTime() - crashed < TTL.toNanos() / 2) { // a stalled test machine proves nothing here
                assertThat(soon).as("B's members count until its liveness key expires").isEqualTo(3);
            }
            awaitCount(roomsA, "lobby", 2, TTL.plusSeconds(2));
        });
    }

    @Test
    void anInstanceCountedAsGoneWritesItsCountsAgainOnItsNextHeartbeat() throws Exception {
        joinThree(a1 -> {
            TestRedis.delete(channel + ":alive:" + roomsB.instanceId()); // as if B's key had expired
            assertThat(roomsA.count("lobby")).as("B's entry is gone, and deleted by this count").isEqualTo(2);
            awaitCount(roomsA, "lobby", 3, TTL);
        });
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
            assertThat(roomsB.localCount("x")).as("B holds none of the members").isZero();
        }
    }
}
