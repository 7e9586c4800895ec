package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.Covet;
import dev.covet.testkit.TestServer;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BroadcastExampleTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        Covet app = Covet.create();
        BroadcastExample.register(app);
        server = TestServer.start(app);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private WebSocket join(String room, BlockingQueue<String> received) throws Exception {
        return server.client().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/broadcast/" + room),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        received.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMemberIsToldItJoinedAndEachMessageReachesTheOtherMembersOnly() throws Exception {
        BlockingQueue<String> alice = new LinkedBlockingQueue<>();
        BlockingQueue<String> bob = new LinkedBlockingQueue<>();
        BlockingQueue<String> elsewhere = new LinkedBlockingQueue<>();
        WebSocket a = join("lobby", alice);
        assertThat(alice.poll(10, TimeUnit.SECONDS)).isEqualTo("joined lobby 1");
        WebSocket b = join("lobby", bob);
        assertThat(bob.poll(10, TimeUnit.SECONDS)).isEqualTo("joined lobby 2");
        WebSocket c = join("attic", elsewhere);
        assertThat(elsewhere.poll(10, TimeUnit.SECONDS)).isEqualTo("joined attic 1");

        a.sendText("hello lobby", true).get(10, TimeUnit.SECONDS);
        assertThat(bob.poll(10, TimeUnit.SECONDS)).isEqualTo("hello lobby");
        assertThat(alice.poll(300, TimeUnit.MILLISECONDS)).as("the sender does not get its own message").isNull();
        assertThat(elsewhere.poll(300, TimeUnit.MILLISECONDS)).as("another room does not get it").isNull();
        for (WebSocket ws : new WebSocket[] {a, b, c}) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }
}
