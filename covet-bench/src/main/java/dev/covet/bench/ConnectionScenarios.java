package dev.covet.bench;

import java.util.Map;

/**
 * The scenarios about connections rather than requests (issues #3 and #6): many keep-alive HTTP
 * connections, WebSocket echo at a fixed rate, a broadcast room, and many idle WebSockets. Their
 * sizes and rates come from {@link ScaleSettings}, not from {@code --connections}/{@code --rate}.
 * Their names and descriptions are registered in {@link ScenarioCatalog}, like every other scenario's.
 */
final class ConnectionScenarios {
    /** The demo's echo endpoint (docs/websocket.md). */
    static final String WS_ECHO_PATH = "/ws/echo";
    /** The demo's broadcast room endpoint; the room is the last path segment. */
    static final String WS_BROADCAST_PATH = "/ws/broadcast/bench";

    private ConnectionScenarios() {
    }

    static Scenario connections() {
        return new Scenario("connections", ScenarioCatalog.description("connections"), "GET", "/plaintext", Map.of("Accept", "text/plain"),
                new byte[0], ResponseCheck.exact(200, Scenario.HELLO), false, Workload.HTTP_CONNECTIONS.protocol());
    }

    static Scenario wsEcho() {
        return webSocket("ws-echo", WS_ECHO_PATH, Workload.WS_ECHO);
    }

    static Scenario wsBroadcast() {
        return webSocket("ws-broadcast", WS_BROADCAST_PATH, Workload.WS_BROADCAST);
    }

    static Scenario wsIdle() {
        return webSocket("ws-idle", WS_ECHO_PATH, Workload.WS_IDLE);
    }

    private static Scenario webSocket(String name, String path, Workload w) {
        // The check is never applied to a WebSocket message; 101 documents what the upgrade must answer.
        return new Scenario(name, ScenarioCatalog.description(name), "GET", path, Map.of(), new byte[0],
                ResponseCheck.exact(101, new byte[0]), false, w.protocol());
    }
}
