package dev.covet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks a target once whether it serves a WebSocket endpoint: a bare HTTP/1.1 upgrade request,
 * whose status line is all that is read. 101 means yes; 404 or 405 means the target has no such
 * endpoint, which the session reports as "not implemented" instead of as a failed run.
 */
final class UpgradeProbe {
    private UpgradeProbe() {
    }

    /** The status code the target answers to an upgrade on {@code path}. */
    static int status(String host, int port, String path, int timeoutMs) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n' && line.length() < 200; b = in.read()) {
                line.append((char) b);
            }
            String[] f = line.toString().trim().split(" ");
            if (f.length < 2 || !f[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP status line in answer to an upgrade on " + path + ": '" + line.toString().trim() + "'");
            }
            return Integer.parseInt(f[1]);
        }
    }

    /** Whether {@code status} says the endpoint does not exist (as opposed to failing). */
    static boolean notImplemented(int status) {
        return status == 404 || status == 405;
    }
}
