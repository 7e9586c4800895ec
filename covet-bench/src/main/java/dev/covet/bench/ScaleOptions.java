package dev.covet.bench;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of the connection scenarios ({@link ConnectionScenarios}), mixed into {@link BenchCommand}. */
final class ScaleOptions {
    @Option(names = "--scale-connections", defaultValue = "50000",
            description = "Keep-alive connections of the 'connections' scenario (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--scale-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "Time between two requests of one connection in 'connections' (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--ramp-rate", defaultValue = "2000", paramLabel = "PER_S",
            description = "New connections per second at most, in every connection scenario (default: ${DEFAULT-VALUE}).")
    double rampRate;

    @Option(names = "--source-addresses", defaultValue = "0", paramLabel = "K",
            description = "Spread connections over 127.0.0.1..127.0.0.K; 0 = as many as the ephemeral port range needs"
                    + " (default: ${DEFAULT-VALUE}).")
    int sourceAddresses;

    @Option(names = "--idle-websockets", defaultValue = "10000",
            description = "WebSockets of the 'ws-idle' scenario (default: ${DEFAULT-VALUE}).")
    int idleWebSockets;

    @Option(names = "--ws-connections", defaultValue = "64", description = "WebSockets of 'ws-echo' (default: ${DEFAULT-VALUE}).")
    int wsConnections;

    @Option(names = "--ws-rate", defaultValue = "2000", paramLabel = "MSG_PER_S",
            description = "Total echo messages per second of 'ws-echo', fixed rate (default: ${DEFAULT-VALUE}).")
    double wsRate;

    @Option(names = "--room-size", defaultValue = "1000",
            description = "Receivers in the 'ws-broadcast' room, the sender not counted (default: ${DEFAULT-VALUE}).")
    int roomSize;

    @Option(names = "--broadcast-rate", defaultValue = "20", paramLabel = "MSG_PER_S",
            description = "Messages per second the 'ws-broadcast' sender sends (default: ${DEFAULT-VALUE}).")
    double broadcastRate;

    ScaleSettings settings() {
        return new ScaleSettings(connections, interval, rampRate, sourceAddresses, idleWebSockets, wsConnections, wsRate, roomSize,
                broadcastRate);
    }
}
