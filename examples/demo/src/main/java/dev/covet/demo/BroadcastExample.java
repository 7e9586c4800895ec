package dev.covet.demo;

import dev.covet.Covet;
import dev.covet.realtime.Rooms;

/**
 * A WebSocket room per path, {@code /ws/broadcast/{room}}: each text message a member sends goes
 * to every other member of the room. On joining, a member is told {@code joined <room> <members>},
 * so a client knows when broadcasts will reach it. The benchmark's {@code ws-broadcast} scenario
 * measures this endpoint (docs/benchmarking.md); rooms are this instance's only (docs/websocket.md
 * explains Redis fan-out across instances).
 */
final class BroadcastExample {
    private BroadcastExample() { }

    static void register(Covet app) {
        Rooms rooms = Rooms.local();
        app.ws("/ws/broadcast/{room}", ws -> ws
                .onOpen(session -> {
                    String room = session.context().pathParam("room");
                    rooms.join(session, room);
                    session.sendText("joined " + room + " " + rooms.count(room));
                })
                .onText((session, text) -> rooms.broadcastExcept(session.context().pathParam("room"), text, session)));
    }
}
