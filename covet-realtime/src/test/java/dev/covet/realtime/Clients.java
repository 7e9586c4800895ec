package dev.covet.realtime;

import dev.covet.testkit.TestWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Test clients: the test kit's WebSocket for conversations, bare sockets for mass connects. */
final class Clients {
    private Clients() { }

    /** A JDK WebSocket conversation with {@code path} on 127.0.0.1:{@code port}. */
    static TestWebSocket open(int port, String path) {
        return TestWebSocket.open(URI.create("ws://127.0.0.1:" + port + path));
    }

    /** Completes a handshake on a bare socket and returns it (the caller drops it with close()). */
    static Socket handshake(int port, String path) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            int matched = 0;
            StringBuilder head = new StringBuilder();
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed during the handshake: " + head);
                }
                head.append((char) b);
                matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("not upgraded: " + head);
            }
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
