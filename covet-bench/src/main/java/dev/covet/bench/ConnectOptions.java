package dev.covet.bench;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the load generator opens its connections.
 *
 * @param sourceAddresses local addresses the connections bind to, round-robin (empty: the kernel
 *                        chooses, which limits one target port to one address's ephemeral ports)
 * @param reconnectCap    longest wait between two reconnection attempts of one connection; the
 *                        backoff doubles from 1 ms up to it
 */
record ConnectOptions(List<InetAddress> sourceAddresses, Duration reconnectCap) {
    /** What the request scenarios use: one source address, reconnect within 100 ms. */
    static final ConnectOptions DEFAULT = new ConnectOptions(List.of(), Duration.ofMillis(100));

    ConnectOptions {
        sourceAddresses = List.copyOf(sourceAddresses);
        for (InetAddress a : sourceAddresses) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("the harness binds loopback source addresses only, not " + a.getHostAddress());
            }
        }
        if (reconnectCap.isNegative() || reconnectCap.isZero()) {
            throw new IllegalArgumentException("reconnectCap must be positive");
        }
    }
}
