package dev.covet.bench;

/**
 * What kind of load a {@link Scenario} puts on a target, told apart by {@link Scenario#protocol()}.
 * The request workload is the original one; the others open their connections first, at a bounded
 * rate ({@link LoadGenerator#ramp}), and the scale ones also measure the server's memory per
 * connection ({@link ConnectionScale}).
 */
enum Workload {
    /** HTTP/1.1 requests on a few keep-alive connections (plaintext, json, echo…). */
    REQUESTS("http/1.1"),
    /** Many keep-alive HTTP/1.1 connections, each sending a request every few seconds. */
    HTTP_CONNECTIONS("http/1.1-connections"),
    /** WebSocket messages echoed at a fixed rate. */
    WS_ECHO("websocket-echo"),
    /** One WebSocket sender, a room of receivers, each message fanned out to all of them. */
    WS_BROADCAST("websocket-broadcast"),
    /** Many WebSockets held open, sending nothing. */
    WS_IDLE("websocket-idle");

    private final String protocol;

    Workload(String protocol) {
        this.protocol = protocol;
    }

    /** The {@link Scenario#protocol()} value of this workload. */
    String protocol() {
        return protocol;
    }

    /** Whether the connections are WebSockets. */
    boolean webSocket() {
        return this == WS_ECHO || this == WS_BROADCAST || this == WS_IDLE;
    }

    /** Whether this workload measures how much memory each connection costs the server. */
    boolean connectionScale() {
        return this == HTTP_CONNECTIONS || this == WS_IDLE;
    }

    static Workload of(Scenario s) {
        for (Workload w : values()) {
            if (w.protocol.equals(s.protocol())) {
                return w;
            }
        }
        throw new IllegalArgumentException("scenario " + s.name() + " has an unknown protocol: " + s.protocol());
    }
}
