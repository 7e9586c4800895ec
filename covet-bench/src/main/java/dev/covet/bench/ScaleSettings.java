package dev.covet.bench;

import java.time.Duration;

/**
 * Sizes and rates of the connection scenarios ({@link ConnectionScenarios}); the request
 * scenarios ignore them.
 *
 * @param connections      connections of the {@code connections} scenario
 * @param interval         time between two requests of one connection there
 * @param rampRate         new connections per second at most, in every connection scenario
 * @param sourceAddresses  loopback source addresses to spread connections over; 0 = as many as the
 *                         ephemeral port range needs ({@link SourceAddresses})
 * @param idleWebSockets   connections of the {@code ws-idle} scenario
 * @param wsConnections    connections of the {@code ws-echo} scenario
 * @param wsRate           total echo messages per second of {@code ws-echo}
 * @param roomSize         receivers in the {@code ws-broadcast} room (the sender comes on top)
 * @param broadcastRate    messages per second the broadcast sender sends
 */
public record ScaleSettings(
        int connections,
        Duration interval,
        double rampRate,
        int sourceAddresses,
        int idleWebSockets,
        int wsConnections,
        double wsRate,
        int roomSize,
        double broadcastRate) {

    /** In-flight limit per WebSocket echo connection and of the broadcast sender. */
    static final int WS_DEPTH = 64;

    public ScaleSettings {
        if (connections < 1 || idleWebSockets < 1 || wsConnections < 1 || roomSize < 1) {
            throw new IllegalArgumentException("--scale-connections, --idle-websockets, --ws-connections and --room-size must be at least 1");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("--scale-interval must be positive");
        }
        if (!(rampRate > 0) || !(wsRate > 0) || !(broadcastRate > 0) || Double.isInfinite(rampRate + wsRate + broadcastRate)) {
            throw new IllegalArgumentException("--ramp-rate, --ws-rate and --broadcast-rate must be positive numbers");
        }
        if (sourceAddresses < 0 || sourceAddresses > 250) {
            throw new IllegalArgumentException("--source-addresses must be 0 (automatic) to 250");
        }
    }

    /** Connections the scenario of workload {@code w} opens. */
    int connectionsOf(Workload w) {
        return switch (w) {
            case HTTP_CONNECTIONS -> connections;
            case WS_IDLE -> idleWebSockets;
            case WS_ECHO -> wsConnections;
            case WS_BROADCAST -> roomSize + 1;
            case REQUESTS -> throw new IllegalArgumentException("request scenarios take --connections");
        };
    }

    /** Total send rate of workload {@code w} over {@code connections} connections (0: sends nothing). */
    double rateOf(Workload w, int connections) {
        return switch (w) {
            case HTTP_CONNECTIONS -> connections / (interval.toNanos() / 1e9);
            case WS_ECHO -> wsRate;
            case WS_BROADCAST -> broadcastRate;
            case WS_IDLE -> 0;
            case REQUESTS -> throw new IllegalArgumentException("request scenarios take --rate");
        };
    }
}
