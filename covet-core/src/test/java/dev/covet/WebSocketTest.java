package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WebSocket endpoints and RFC 6455 conformance, on raw sockets. */
class WebSocketTest {
    static final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

    record Greeting(String name) { }

    @RegisterExtension
    static final TestServer server = TestServer.create(config -> config.webSocketMaxMessageSize(1024), app -> {
        app.ws("/ws/echo/{room}", ws -> ws
                .onOpen(session -> session.sendText("welcome to " + session.context().pathParam("room")))
                .onText((session, text) -> {
                    if (text.equals("json")) {
                        session.sendJson(java.util.Map.of("id", session.id().length()));
                    } else if (text.equals("bye")) {
                        session.close(4000, "asked to leave");
                    } else if (text.equals("bad close")) {
                        try {
                            session.close(1005, "");
                        } catch (IllegalArgumentException refused) {
                            session.sendText("refused: " + refused.getMessage());
                        }
                    } else if (text.startsWith("slow ")) {
                        Thread.sleep(1); // a handler that blocks: later messages wait, in order
                        session.sendText(text);
                    } else if (text.startsWith("{")) {
                        Greeting greeting = session.readJson(text, Greeting.class); // a 4xx escaping here closes with 1008
                        session.sendText(session.writeJson(new Greeting("hello " + greeting.name())));
                    } else if (text.equals("boom")) {
                        throw new IllegalStateException("boom");
                    } else {
                        session.sendText(text);
                    }
                })
                .onBinary((session, data) -> session.sendBinary(data))
                .onClose((session, code, reason) -> closes.add(session.context().pathParam("room") + " " + code + " " + reason)));
        app.group("/private", group -> {
            group.before(ctx -> {
                ctx.header("X-Trace", "t1");
                if (ctx.header("Authorization").isEmpty()) {
                    throw new ProblemException(401, "Log in first");
                }
            });
            group.ws("/ws", ws -> ws.onOpen(session -> session.sendText("hello, member")));
        });
    });

    private static WsClient open() {
        return open("lobby");
    }

    private static WsClient open(String room) {
        WsClient client = WsClient.open(server.port(), "/ws/echo/" + room);
        assertThat(client.readMessage().text()).isEqualTo("welcome to " + room);
        return client;
    }

    /** Waits for the close of a connection in {@code room} (other tests' closes arrive in the same queue). */
    private static String awaitClose(String room) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String close = closes.poll(100, TimeUnit.MILLISECONDS);
            if (close != null && close.startsWith(room + " ")) {
                return close.substring(room.length() + 1);
            }
        }
        throw new AssertionError("no close in room " + room);
    }

    @Test
    void theHandshakeIsAnsweredWithTheRfcAcceptKey() {
        try (WsClient client = WsClient.open(server.port(), "/ws/echo/lobby")) {
            assertThat(client.head.header("Sec-WebSocket-Accept")).contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(client.head.header("Upgrade")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("websocket"));
        }
    }

    @Test
    void textAndBinaryMessagesAreEchoedWithPathParameters() {
        try (WsClient client = open()) {
            client.text("héllo");
            assertThat(client.readMessage().text()).isEqualTo("héllo");
            client.frame(true, WsClient.BINARY, new byte[] {1, 2, 3});
            WsClient.Frame binary = client.readMessage();
            assertThat(binary.opcode()).isEqualTo(WsClient.BINARY);
            assertThat(binary.payload()).containsExactly(1, 2, 3);
            client.text("json");
            assertThat(client.readMessage().text()).isEqualTo("{\"id\":36}");
        }
    }

    @Test
    void messagesOfOneConnectionAreHandledInOrder() {
        try (WsClient client = open()) {
            for (int i = 0; i < 200; i++) {
                client.text("m" + i);
            }
            for (int i = 0; i < 200; i++) {
                assertThat(client.readMessage().text()).isEqualTo("m" + i);
            }
        }
    }

    @Test
    void aSlowHandlerPausesReadingButLosesAndReordersNothing() {
        try (WsClient client = open()) {
            for (int i = 0; i < 500; i++) {
                client.text("slow " + i);
            }
            for (int i = 0; i < 500; i++) {
                assertThat(client.readMessage().text()).isEqualTo("slow " + i);
            }
        }
    }

    @Test
    void theServerRefusesToSendACloseCodeReservedForTheProtocol() {
        try (WsClient client = open()) {
            client.text("bad close");
            assertThat(client.readMessage().text()).startsWith("refused: Close code 1005 may not be sent");
        }
    }

    @Test
    void fragmentedMessagesArriveReassembledWithPingsInBetween() {
        try (WsClient client = open()) {
            client.frame(false, WsClient.TEXT, "frag".getBytes(StandardCharsets.UTF_8));
            client.frame(true, WsClient.PING, "p".getBytes(StandardCharsets.UTF_8));
            client.frame(false, WsClient.CONTINUATION, "men".getBytes(StandardCharsets.UTF_8));
            client.frame(true, WsClient.CONTINUATION, "ted".getBytes(StandardCharsets.UTF_8));
            WsClient.Frame pong = client.read();
            assertThat(pong.opcode()).isEqualTo(WsClient.PONG);
            assertThat(pong.text()).isEqualTo("p");
            assertThat(client.readMessage().text()).isEqualTo("fragmented");
        }
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() {
        try (WsClient client = open()) {
            client.frame(true, WsClient.PING, new byte[] {7, 8});
            WsClient.Frame pong = client.read();
            assertThat(pong.opcode()).isEqualTo(WsClient.PONG);
            assertThat(pong.payload()).containsExactly(7, 8);
        }
    }

    @Test
    void theClientsCloseIsEchoedAndReachesOnClose() throws InterruptedException {
        try (WsClient client = open("close-by-client")) {
            client.close(1000, "done");
            WsClient.Frame close = client.readMessage();
            assertThat(close.opcode()).isEqualTo(WsClient.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(client.serverClosedTcp()).isTrue();
        }
        assertThat(awaitClose("close-by-client")).isEqualTo("1000 done");
    }

    @Test
    void theServerCanCloseWithACodeAndReason() throws InterruptedException {
        try (WsClient client = open("close-by-server")) {
            client.text("bye");
            WsClient.Frame close = client.readMessage();
            assertThat(close.closeCode()).isEqualTo(4000);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8))
                    .isEqualTo("asked to leave");
            client.close(4000, "");
            assertThat(client.serverClosedTcp()).isTrue();
        }
        assertThat(awaitClose("close-by-server")).isEqualTo("4000 asked to leave");
    }

    @Test
    void jsonMessagesAreReadAndWrittenWithTheAppsCodec() {
        try (WsClient client = open()) {
            client.text("{\"name\":\"Ada\"}");
            assertThat(client.readMessage().text()).isEqualTo("{\"name\":\"hello Ada\"}");
        }
    }

    @Test
    void aJsonMessageThatDoesNotFitClosesWith1008AndSaysWhy() throws InterruptedException {
        try (WsClient client = open("json")) {
            client.text("{\"nom\":\"Ada\"}");
            WsClient.Frame close = client.readMessage();
            assertThat(close.closeCode()).isEqualTo(1008);
            assertThat(close.text()).contains("nom");
            assertThat(close.payload().length).isLessThanOrEqualTo(125);
            client.close(1008, "");
        }
        assertThat(awaitClose("json")).startsWith("1008 ");
    }

    @Test
    void aHandlerThatThrowsClosesWith1011() {
        try (WsClient client = open()) {
            client.text("boom");
            assertThat(client.readMessage().closeCode()).isEqualTo(1011);
        }
    }

    @Test
    void aDroppedConnectionStillReachesOnCloseWith1006() throws InterruptedException {
        open("dropped").close();
        assertThat(awaitClose("dropped")).isEqualTo("1006 ");
    }

    @Test
    void invalidUtf8TextClosesWith1007() {
        try (WsClient client = open()) {
            client.frame(true, WsClient.TEXT, new byte[] {(byte) 0xc3, (byte) 0x28});
            assertThat(client.readMessage().closeCode()).isEqualTo(1007);
            assertThat(client.serverClosedTcp()).isTrue();
        }
    }

    @Test
    void protocolViolationsCloseWith1002() {
        record Violation(String name, int firstByte, boolean masked, byte[] payload) { }
        List<Violation> violations = List.of(
                new Violation("unmasked client frame", 0x81, false, "hi".getBytes(StandardCharsets.UTF_8)),
                new Violation("reserved bit without an extension", 0x80 | 0x40 | WsClient.TEXT, true, new byte[] {'a'}),
                new Violation("unknown opcode", 0x80 | 0x3, true, new byte[0]),
                new Violation("control frame over 125 bytes", 0x80 | WsClient.PING, true, new byte[126]),
                new Violation("fragmented control frame", WsClient.PING, true, new byte[] {1}),
                new Violation("continuation without a start", 0x80, true, new byte[] {'a'}));
        for (Violation violation : violations) {
            try (WsClient client = open()) {
                client.frame(violation.firstByte(), violation.masked(), violation.payload());
                WsClient.Frame close;
                try {
                    close = client.readMessage();
                } catch (RuntimeException e) {
                    throw new AssertionError(violation.name() + ": no close frame", e);
                }
                assertThat(close.opcode()).as(violation.name()).isEqualTo(WsClient.CLOSE);
                assertThat(close.closeCode()).as(violation.name()).isEqualTo(1002);
                assertThat(client.serverClosedTcp()).as(violation.name()).isTrue();
            }
        }
    }

    @Test
    void aCloseFrameWithACodeThatMayNotBeSentEndsTheConnection() {
        try (WsClient client = open()) {
            client.frame(0x80 | WsClient.CLOSE, true, new byte[] {0x03, (byte) 0xed}); // 1005
            assertThat(client.serverClosedTcp()).isTrue(); // Netty sends no close frame after the client's
        }
    }

    @Test
    void aMessageOverTheLimitClosesWith1009WholeOrFragmented() {
        try (WsClient client = open()) {
            client.frame(true, WsClient.BINARY, new byte[1025]);
            assertThat(client.readMessage().closeCode()).isEqualTo(1009);
        }
        try (WsClient client = open()) {
            client.frame(false, WsClient.BINARY, new byte[600]);
            client.frame(true, WsClient.CONTINUATION, new byte[600]);
            assertThat(client.readMessage().closeCode()).isEqualTo(1009);
        }
        try (WsClient client = open()) {
            client.frame(true, WsClient.BINARY, new byte[1024]);
            assertThat(client.readMessage().payload()).hasSize(1024);
        }
    }

    @Test
    void aBadVersionIsAnswered426WithTheSupportedVersion() {
        try (WsClient client = WsClient.handshake(server.port(), "/ws/echo/x", "Sec-WebSocket-Version: 8")) {
            assertThat(client.head.status()).isEqualTo(426);
            assertThat(client.head.header("Sec-WebSocket-Version")).contains("13");
        }
    }

    @Test
    void aBadOrMissingKeyIsAnswered400() {
        try (WsClient client = WsClient.handshake(server.port(), "/ws/echo/x", "Sec-WebSocket-Key: c2hvcnQ=")) {
            assertThat(client.head.status()).isEqualTo(400);
            assertThat(client.head.header("Content-Type")).contains("application/problem+json");
        }
        try (WsClient client = WsClient.handshake(server.port(), "/ws/echo/x", "Sec-WebSocket-Key: ")) {
            assertThat(client.head.status()).isEqualTo(400);
        }
    }

    @Test
    void aPlainGetOnAWebSocketRouteIsAnswered426() {
        RawHttp.Response response = server.exchange("GET /ws/echo/x HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(response.status()).isEqualTo(426);
        server.assertServesNextClient();
    }

    @Test
    void middlewareGuardsTheHandshake() {
        try (WsClient client = WsClient.handshake(server.port(), "/private/ws")) {
            assertThat(client.head.status()).isEqualTo(401);
            assertThat(client.head.header("Content-Type")).contains("application/problem+json");
            assertThat(client.head.text()).contains("Log in first");
        }
        try (WsClient client = WsClient.open(server.port(), "/private/ws", "Authorization: Bearer x")) {
            assertThat(client.head.header("X-Trace")).as("headers set by middleware go with the 101").contains("t1");
            assertThat(client.readMessage().text()).isEqualTo("hello, member");
        }
    }

    @Test
    void withPermessageDeflateOtherReservedBitsStillClose1002() {
        for (int firstByte : new int[] {0x80 | 0x20 | WsClient.TEXT, 0x80 | 0x40 | WsClient.PING}) {
            try (WsClient client = WsClient.open(server.port(), "/ws/echo/lobby",
                    "Sec-WebSocket-Extensions: permessage-deflate")) {
                client.readMessage(); // welcome
                client.frame(firstByte, true, new byte[] {'a'});
                assertThat(client.readMessage().closeCode()).as("first byte %x", firstByte).isEqualTo(1002);
            }
        }
    }

    /** permessage-deflate (RFC 7692): raw DEFLATE, sync-flushed, without the final 00 00 ff ff. */
    private static byte[] deflate(String text) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
        byte[] buffer = new byte[1024];
        int length = deflater.deflate(buffer, 0, buffer.length, java.util.zip.Deflater.SYNC_FLUSH);
        deflater.end();
        return java.util.Arrays.copyOf(buffer, length - 4);
    }

    private static String inflate(java.util.zip.Inflater inflater, byte[] payload) {
        try {
            byte[] input = java.util.Arrays.copyOf(payload, payload.length + 4);
            input[payload.length + 2] = (byte) 0xff;
            input[payload.length + 3] = (byte) 0xff;
            inflater.setInput(input);
            byte[] buffer = new byte[4096];
            int length = inflater.inflate(buffer);
            return new String(buffer, 0, length, StandardCharsets.UTF_8);
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void permessageDeflateIsNegotiatedWhenTheClientAsks() {
        try (WsClient client = WsClient.open(server.port(), "/ws/echo/lobby",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")) {
            assertThat(client.head.header("Sec-WebSocket-Extensions")).hasValueSatisfying(v -> assertThat(v).startsWith("permessage-deflate"));
            WsClient.Frame welcome = client.readMessage();
            assertThat(welcome.rsv() & 4).as("RSV1: compressed").isEqualTo(4);
            java.util.zip.Inflater inflater = new java.util.zip.Inflater(true); // one per connection: context takeover
            assertThat(inflate(inflater, welcome.payload())).isEqualTo("welcome to lobby");
            String text = "compressed both ways, compressed both ways";
            client.frame(0x80 | 0x40 | WsClient.TEXT, true, deflate(text));
            WsClient.Frame echo = client.readMessage();
            assertThat(echo.rsv() & 4).isEqualTo(4);
            assertThat(inflate(inflater, echo.payload())).isEqualTo(text);
            inflater.end();
        }
        try (WsClient client = WsClient.open(server.port(), "/ws/echo/lobby")) {
            assertThat(client.head.header("Sec-WebSocket-Extensions")).isEmpty();
        }
    }
}
