package dev.covet.demo;

import dev.covet.Covet;
import dev.covet.ProblemException;
import dev.covet.WebSocketSession;
import dev.covet.realtime.Rooms;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The chat of docs/websocket.md: the page {@code /chat} (HTML, CSS and JavaScript from
 * {@code src/main/resources/chat} and {@code public}) and its WebSocket {@code /ws/chat/{room}?user=name}
 * on {@link Rooms}.
 *
 * <p>Protocol ({@value #SUBPROTOCOL}), JSON text messages both ways, records through the app's codec.
 * The client sends {@code {"text": "..."}}; the server sends {@code {"type":"message","user","text"}}
 * to every member (the sender included, so each sees the room's order) and
 * {@code {"type":"presence","user","event":"joined"|"left","members":n}} when someone comes or goes.
 * A message that is blank or longer than {@value #MAX_TEXT_CHARS} characters is answered with
 * {@code {"type":"error","text"}}; a message that is not such JSON closes the connection with 1008
 * (the client is broken, not the user). Names are checked at the handshake (400). The page inserts user
 * text as text nodes, never as HTML.
 */
final class ChatExample {
    static final String SUBPROTOCOL = "chat.v1";
    static final int MAX_TEXT_CHARS = 500;
    static final int MAX_NAME_CHARS = 24;

    /** What a client sends. */
    record Incoming(String text) { }

    /** A chat line, to every member. */
    record Message(String type, String user, String text) { }

    /** Someone joined or left; {@code members} is the room's size after it. */
    record Presence(String type, String user, String event, int members) { }

    /** A message of the user's that was refused (blank, too long). */
    record Error(String type, String text) { }

    private ChatExample() { }

    static void register(Covet app, Rooms rooms) {
        String page = resource("chat/chat.html");
        app.get("/chat", ctx -> ctx.html(page));
        app.group("/ws/chat", chat -> {
            chat.before(ctx -> {
                checkName(ctx.pathParam("room"), "room");
                checkName(ctx.queryParam("user").orElse(""), "user");
            });
            chat.ws("/{room}", ws -> ws
                    .subprotocols(SUBPROTOCOL)
                    // a chat line is small: 2 KiB instead of the app's 64 KiB, and a slow reader loses
                    // lines rather than its connection
                    .maxMessageSize(2048)
                    .outboundQueue(256 * 1024, dev.covet.CovetConfig.WebSocketOverflow.DROP)
                    .idleTimeout(Duration.ofMinutes(10))
                    .onOpen(session -> {
                        String room = room(session);
                        rooms.identify(session, user(session));
                        rooms.join(session, room);
                        announce(rooms, session, room, "joined");
                    })
                    .onText((session, text) -> {
                        Incoming incoming = session.readJson(text, Incoming.class);
                        String line = incoming.text() == null ? "" : incoming.text().strip();
                        if (line.isEmpty() || line.length() > MAX_TEXT_CHARS) {
                            session.sendJson(new Error("error", "A message has 1 to " + MAX_TEXT_CHARS + " characters"));
                            return;
                        }
                        rooms.broadcast(room(session), session.writeJson(new Message("message", user(session), line)));
                    })
                    .onClose((session, code, reason) -> {
                        String room = room(session);
                        rooms.leave(session, room);
                        announce(rooms, session, room, "left");
                    }));
        });
    }

    private static void announce(Rooms rooms, WebSocketSession session, String room, String event) {
        rooms.broadcast(room, session.writeJson(new Presence("presence", user(session), event, rooms.count(room))));
    }

    private static String room(WebSocketSession session) {
        return session.context().pathParam("room");
    }

    private static String user(WebSocketSession session) {
        return session.context().queryParam("user").orElseThrow();
    }

    /** Letters, digits, {@code -} and {@code _}: safe in a URL, a log line and a Redis message. */
    private static void checkName(String value, String what) {
        boolean ok = !value.isEmpty() && value.length() <= MAX_NAME_CHARS
                && value.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
        if (!ok) {
            throw new ProblemException(400, "The " + what + " name must be 1 to " + MAX_NAME_CHARS
                    + " letters, digits, '-' or '_'");
        }
    }

    private static String resource(String name) {
        try (InputStream in = ChatExample.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + name + " (src/main/resources)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read resource " + name, e);
        }
    }
}
