package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.Covet;
import dev.covet.realtime.Rooms;
import dev.covet.testkit.TestServer;
import dev.covet.testkit.TestWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chat's server side without a browser: its protocol, its limits and its refusals. */
class ChatExampleTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        Covet app = Covet.create();
        ChatExample.register(app, Rooms.local());
        server = TestServer.start(app);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestWebSocket join(String room, String user) {
        return server.webSocket("/ws/chat/" + room + "?user=" + user, ChatExample.SUBPROTOCOL);
    }

    @Test
    void membersSeeEachOthersMessagesAndPresenceAsJson() {
        try (TestWebSocket ada = join("json", "ada")) {
            assertThat(ada.subprotocol()).contains("chat.v1");
            assertThat(ada.next()).isEqualTo("{\"type\":\"presence\",\"user\":\"ada\",\"event\":\"joined\",\"members\":1}");
            try (TestWebSocket bo = join("json", "bo")) {
                assertThat(ada.next()).isEqualTo("{\"type\":\"presence\",\"user\":\"bo\",\"event\":\"joined\",\"members\":2}");
                assertThat(bo.next()).contains("\"members\":2");
                bo.send("{\"text\":\"  <b>hi</b> \\\"ada\\\"  \"}");
                String line = "{\"type\":\"message\",\"user\":\"bo\",\"text\":\"<b>hi</b> \\\"ada\\\"\"}";
                assertThat(ada.next()).isEqualTo(line);
                assertThat(bo.next()).isEqualTo(line);
                bo.closeNormally();
            }
            assertThat(ada.next()).isEqualTo("{\"type\":\"presence\",\"user\":\"bo\",\"event\":\"left\",\"members\":1}");
        }
    }

    @Test
    void aBlankOrTooLongMessageIsRefusedWithAnErrorAndTheConnectionStays() {
        try (TestWebSocket ada = join("limits", "ada")) {
            ada.next(); // joined
            ada.send("{\"text\":\"   \"}");
            assertThat(ada.next()).isEqualTo("{\"type\":\"error\",\"text\":\"A message has 1 to 500 characters\"}");
            ada.send("{\"text\":\"" + "x".repeat(ChatExample.MAX_TEXT_CHARS + 1) + "\"}");
            assertThat(ada.next()).contains("\"type\":\"error\"");
            ada.send("{\"text\":\"" + "x".repeat(ChatExample.MAX_TEXT_CHARS) + "\"}");
            assertThat(ada.next()).contains("\"type\":\"message\"");
        }
    }

    @Test
    void aMessageOverTheRoutesTwoKilobytesClosesWith1009() {
        try (TestWebSocket ada = join("big", "ada")) {
            ada.next();
            ada.send("{\"text\":\"" + "x".repeat(3000) + "\"}");
            assertThat(ada.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void somethingOtherThanAChatMessageClosesWith1008() {
        for (String bad : new String[] {"hello", "{\"text\":\"hi\",\"admin\":true}", "[1,2]"}) {
            try (TestWebSocket ada = join("bad", "ada")) {
                ada.next();
                ada.send(bad);
                assertThat(ada.awaitClose().code()).as(bad).isEqualTo(1008);
            }
        }
    }

    @Test
    void badNamesAndForeignSubprotocolsAreRefusedAtTheHandshake() {
        for (String path : new String[] {"/ws/chat/lobby", "/ws/chat/lobby?user=", "/ws/chat/lobby?user=%3Cscript%3E",
                "/ws/chat/" + "r".repeat(25) + "?user=ada", "/ws/chat/l%C3%B6bby?user=ada"}) {
            assertThatThrownBy(() -> server.webSocket(path, ChatExample.SUBPROTOCOL)).as(path)
                    .isInstanceOfSatisfying(TestWebSocket.Refused.class, refused -> assertThat(refused.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> server.webSocket("/ws/chat/lobby?user=ada", "graphql-ws"))
                .isInstanceOfSatisfying(TestWebSocket.Refused.class, refused -> assertThat(refused.status()).isEqualTo(400));
    }

    @Test
    void thePageIsServedAtChat() {
        assertThat(server.get("/chat").body()).contains("<title>Covet chat</title>", "/static/chat.js");
    }
}
