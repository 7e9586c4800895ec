package dev.covet.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.Covet;
import dev.covet.testkit.TestWebSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rooms on one instance, with real WebSocket clients. */
class RoomsTest {
    private final Rooms rooms = Rooms.local();
    private Covet app;
    private int port;

    @BeforeEach
    void start() {
        app = Covet.create(c -> c.port(0).handleSignals(false).loadExternal(false).shutdownTimeout(Duration.ofSeconds(2)));
        app.ws("/chat/{room}", ws -> ws
                .onOpen(session -> {
                    session.context().queryParam("user").ifPresent(user -> rooms.identify(session, user));
                    rooms.join(session, session.context().pathParam("room"));
                    session.sendText("joined " + session.id());
                })
                .onText((session, text) -> {
                    String room = session.context().pathParam("room");
                    if (text.startsWith("all:")) {
                        rooms.broadcast(room, text.substring(4));
                    } else if (text.startsWith("others:")) {
                        rooms.broadcastExcept(room, text.substring(7), session);
                    } else if (text.startsWith("leave")) {
                        rooms.leave(session, room);
                        session.sendText("left");
                    }
                }));
        app.start();
        port = app.port();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private static String joinedId(TestWebSocket client) throws InterruptedException {
        String welcome = client.next();
        assertThat(welcome).startsWith("joined ");
        return welcome.substring("joined ".length());
    }

    @Test
    void aBroadcastReachesEveryMemberOfTheRoomAndNoOneElse() throws Exception {
        try (var alice = Clients.open(port, "/chat/red"); var bob = Clients.open(port, "/chat/red");
             var carol = Clients.open(port, "/chat/blue")) {
            joinedId(alice);
            joinedId(bob);
            joinedId(carol);
            alice.send("all:hello red");
            assertThat(alice.next()).isEqualTo("hello red");
            assertThat(bob.next()).isEqualTo("hello red");
            assertThat(carol.nextWithin(Duration.ofMillis(200))).isEmpty();
            assertThat(rooms.count("red")).isEqualTo(2);
            assertThat(rooms.rooms()).containsExactlyInAnyOrder("red", "blue");
        }
    }

    @Test
    void aBroadcastCanExcludeItsSender() throws Exception {
        try (var alice = Clients.open(port, "/chat/red"); var bob = Clients.open(port, "/chat/red")) {
            joinedId(alice);
            joinedId(bob);
            alice.send("others:psst");
            assertThat(bob.next()).isEqualTo("psst");
            assertThat(alice.nextWithin(Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void sendsReachOneConnectionOrEveryConnectionOfAUser() throws Exception {
        try (var phone = Clients.open(port, "/chat/a?user=ann"); var laptop = Clients.open(port, "/chat/b?user=ann");
             var other = Clients.open(port, "/chat/a?user=bo")) {
            String phoneId = joinedId(phone);
            joinedId(laptop);
            joinedId(other);
            rooms.sendToUser("ann", "for ann");
            assertThat(phone.next()).isEqualTo("for ann");
            assertThat(laptop.next()).isEqualTo("for ann");
            rooms.sendTo(phoneId, "for the phone");
            assertThat(phone.next()).isEqualTo("for the phone");
            assertThat(other.nextWithin(Duration.ofMillis(200))).isEmpty();
            assertThat(rooms.members("a")).hasSize(2).contains(phoneId);
        }
    }

    @Test
    void leavingARoomStopsItsBroadcasts() throws Exception {
        try (var alice = Clients.open(port, "/chat/red"); var bob = Clients.open(port, "/chat/red")) {
            joinedId(alice);
            joinedId(bob);
            bob.send("leave");
            assertThat(bob.next()).isEqualTo("left");
            alice.send("all:anyone?");
            assertThat(alice.next()).isEqualTo("anyone?");
            assertThat(bob.nextWithin(Duration.ofMillis(200))).isEmpty();
            assertThat(rooms.count("red")).isEqualTo(1);
        }
    }

    @Test
    void twoThousandDroppedConnectionsLeaveTheRegistryEmpty() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sockets.add(Clients.handshake(port, "/chat/room" + (i % 10) + "?user=u" + (i % 100)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rooms.rooms().stream().mapToInt(rooms::count).sum() < 2000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(rooms.rooms().stream().mapToInt(rooms::count).sum()).isEqualTo(2000);
        for (Socket socket : sockets) {
            socket.close(); // no close frame: the connection just drops
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!rooms.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(rooms.isEmpty()).as("registry empty after every connection dropped").isTrue();
        assertThat(rooms.rooms()).isEmpty();
    }
}
