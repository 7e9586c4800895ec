package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RFC 6455 subprotocol negotiation ({@code Sec-WebSocket-Protocol}), on raw sockets. */
class WebSocketSubprotocolTest {

    @RegisterExtension
    static final TestServer server = TestServer.create(config -> { }, app -> {
        app.ws("/ws/chat", ws -> ws
                .subprotocols("chat.v2", "chat.v1")
                .onOpen(session -> session.sendText("speaking " + session.subprotocol().orElse("(none)"))));
        app.ws("/ws/plain", ws -> ws.onOpen(session -> session.sendText("plain")));
    });

    @Test
    void theFirstSubprotocolTheClientOffersThatTheRouteSpeaksIsChosen() {
        try (WsClient client = WsClient.open(server.port(), "/ws/chat", "Sec-WebSocket-Protocol: mqtt, chat.v1, chat.v2")) {
            assertThat(client.head.header("Sec-WebSocket-Protocol")).contains("chat.v1");
            assertThat(client.readMessage().text()).isEqualTo("speaking chat.v1");
        }
    }

    @Test
    void offersSpreadOverSeveralHeaderLinesCount() {
        String request = "GET /ws/chat HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + WsClient.KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: mqtt\r\nSec-WebSocket-Protocol: chat.v2\r\n\r\n";
        try (WsClient client = WsClient.raw(server.port(), request)) {
            assertThat(client.head.status()).isEqualTo(101);
            assertThat(client.head.header("Sec-WebSocket-Protocol")).contains("chat.v2");
        }
    }

    @Test
    void aClientThatOffersNoSubprotocolIsAcceptedWithoutOne() {
        try (WsClient client = WsClient.open(server.port(), "/ws/chat")) {
            assertThat(client.head.header("Sec-WebSocket-Protocol")).isEmpty();
            assertThat(client.readMessage().text()).isEqualTo("speaking (none)");
        }
    }

    @Test
    void anOfferOfOnlyUnsupportedSubprotocolsIsRefused400WithoutRepeatingTheOffer() {
        try (WsClient client = WsClient.handshake(server.port(), "/ws/chat", "Sec-WebSocket-Protocol: mqtt, secret-token-123")) {
            assertThat(client.head.status()).isEqualTo(400);
            assertThat(client.head.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(client.head.header("Sec-WebSocket-Protocol")).isEmpty();
            assertThat(client.head.text()).contains("offer one of: chat.v2, chat.v1").doesNotContain("secret-token-123");
        }
    }

    @Test
    void aRouteThatDeclaresNoSubprotocolRefusesAnOffer() {
        try (WsClient client = WsClient.handshake(server.port(), "/ws/plain", "Sec-WebSocket-Protocol: chat.v1")) {
            assertThat(client.head.status()).isEqualTo(400);
            assertThat(client.head.text()).contains("speaks no subprotocol");
        }
        try (WsClient client = WsClient.open(server.port(), "/ws/plain")) {
            assertThat(client.readMessage().text()).isEqualTo("plain");
        }
    }

    @Test
    void subprotocolNamesMustBeHttpTokens() {
        Covet app = Covet.create(c -> c.loadExternal(false));
        assertThatThrownBy(() -> app.ws("/ws", ws -> ws.subprotocols("chat v1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTP token");
        assertThatThrownBy(() -> app.ws("/ws", ws -> ws.subprotocols("")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
