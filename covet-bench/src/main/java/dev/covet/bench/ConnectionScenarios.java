package dev.covet.bench;

import java.util.List;
import java.util.Map;

/**
 * The scenarios about connections rather than requests (issues #3 and #6): many keep-alive HTTP
 * connections, WebSocket echo at a fixed rate, a broadcast room, and many idle WebSockets. Their
 * sizes and rates come from {@link ScaleSettings}, not from {@code --connections}/{@code --rate}.
 */
final class ConnectionScenarios {
    /** The demo's echo endpoint (docs/websocket.md). */
    static final String WS_ECHO_PATH = "/ws/echo";
    /** The demo's broadcast room endpoint; the room is the last path segment. */
    static final String WS_BROADCAST_PATH = "/ws/broadcast/bench";

    private ConnectionScenarios() {
    }

    static Scenario connections() {
        return new Scenario("connections", "many keep-alive connections (--scale-connections), each sending GET /plaintext every"
                + " --scale-interval; server memory per connection", "GET", "/plaintext", Map.of("Accept", "text/plain"),
                new byte[0], ResponseCheck.exact(200, Scenario.HELLO), false, Workload.HTTP_CONNECTIONS.protocol());
    }

    static Scenario wsEcho() {
        return webSocket("ws-echo", "WebSocket " + WS_ECHO_PATH + ": 64-byte text messages at a fixed rate (--ws-rate), each must come"
                + " back unchanged; latency from the scheduled send time", WS_ECHO_PATH, Workload.WS_ECHO);
    }

    static Scenario wsBroadcast() {
        return webSocket("ws-broadcast", "WebSocket " + WS_BROADCAST_PATH + ": one sender, a room of --room-size receivers; latency"
                + " until the last member has each message, and of every receipt", WS_BROADCAST_PATH, Workload.WS_BROADCAST);
    }

    static Scenario wsIdle() {
        return webSocket("ws-idle", "--idle-websockets WebSockets on " + WS_ECHO_PATH + " held open, sending nothing; server memory per"
                + " connection", WS_ECHO_PATH, Workload.WS_IDLE);
    }

    static List<Scenario> all() {
        return List.of(connections(), wsEcho(), wsBroadcast(), wsIdle());
    }

    private static Scenario webSocket(String name, String description, String path, Workload w) {
        // The check is never applied to a WebSocket message; 101 documents what the upgrade must answer.
        return new Scenario(name, description, "GET", path, Map.of(), new byte[0], ResponseCheck.exact(101, new byte[0]), false,
                w.protocol());
    }
}
