package dev.covet.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback source addresses to spread many connections over. Connections from one address to one
 * server port each need their own ephemeral port, and Linux hands out only
 * {@code net.ipv4.ip_local_port_range} of them (28,232 by default) per source address. Every
 * address of 127.0.0.0/8 reaches the loopback interface without configuration, so the harness
 * binds connection {@code i} to 127.0.0.{@code 1 + i mod k}.
 */
final class SourceAddresses {
    /** Share of the ephemeral range one address is planned to use: other sockets (TIME_WAIT, other tests) need ports too. */
    private static final double USABLE_SHARE = 0.8;

    private SourceAddresses() {
    }

    /** Ephemeral ports per source address, from /proc/sys/net/ipv4/ip_local_port_range. */
    static int ephemeralPorts() throws IOException {
        // Files.readString sees this sysctl file as empty (its size is 0 and it is read in one go): read it as a stream.
        String text;
        try (var in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        String[] f = text.trim().split("\\s+");
        if (f.length != 2) {
            throw new IOException("cannot parse /proc/sys/net/ipv4/ip_local_port_range: '" + text.trim() + "'");
        }
        return Integer.parseInt(f[1]) - Integer.parseInt(f[0]) + 1;
    }

    /**
     * The addresses for {@code connections}: {@code asked} of them, or with {@code asked == 0} as
     * many as the ephemeral range needs. One address means the kernel's own choice (an empty list).
     */
    static List<InetAddress> choose(int connections, int asked) throws IOException {
        int count = asked > 0 ? asked : (int) Math.ceil(connections / (USABLE_SHARE * ephemeralPorts()));
        List<InetAddress> out = new ArrayList<>();
        if (count <= 1) {
            return out;
        }
        for (int i = 1; i <= count; i++) {
            out.add(loopback(i));
        }
        return out;
    }

    private static InetAddress loopback(int last) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }
}
