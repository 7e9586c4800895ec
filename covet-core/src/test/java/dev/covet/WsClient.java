package dev.covet;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw-socket WebSocket client for conformance tests: it writes exactly the bytes a test asks for
 * (unmasked frames, reserved bits, bad opcodes, fragments, pongs or none) and reads frames as they
 * come, unprocessed. The handshake goes through {@link RawHttp}, so its response head is parsed as
 * strictly as any other.
 *
 * <p>Separate from the test kit's {@link dev.covet.testkit.TestWebSocket} on purpose: that one is the
 * JDK's client, which always masks, answers pings itself, reassembles fragments, keeps reading, and
 * shows neither the handshake's headers nor a refusal's body, so it cannot send a protocol violation
 * or see the frames a server answers it with.
 */
final class WsClient implements AutoCloseable {
    static final int CONTINUATION = 0, TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final RawHttp http;
    private final DataInputStream in;
    /** The handshake's response: 101 and its headers, or the refusal with its body. */
    final RawHttp.Response head;

    private WsClient(RawHttp http, RawHttp.Response head) {
        this.http = http;
        this.in = new DataInputStream(http.input());
        this.head = head;
    }

    /** Opens a WebSocket to {@code path} with a valid handshake plus {@code headers}; fails unless answered 101. */
    static WsClient open(int port, String path, String... headers) {
        WsClient client = handshake(port, path, headers);
        if (client.head.status() != 101) {
            client.close();
            throw new AssertionError("expected 101, got " + client.head);
        }
        return client;
    }

    /** Sends a valid handshake plus {@code headers} (an empty value leaves a header out) and reads the answer. */
    static WsClient handshake(int port, String path, String... headers) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: test\r\n");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Upgrade", "websocket");
        all.put("Connection", "Upgrade");
        all.put("Sec-WebSocket-Key", KEY);
        all.put("Sec-WebSocket-Version", "13");
        for (String header : headers) {
            int colon = header.indexOf(':');
            all.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
        }
        all.forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.append(name).append(": ").append(value).append("\r\n");
            }
        });
        return raw(port, request.append("\r\n").toString());
    }

    /** Sends {@code request} as is and reads the answer (a 101 head, or a whole refusal). */
    static WsClient raw(int port, String request) {
        RawHttp http = RawHttp.connect(port, TIMEOUT);
        return new WsClient(http, http.send(request).read());
    }

    WsClient text(String text) {
        return frame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked frame with FIN as given. */
    WsClient frame(boolean fin, int opcode, byte[] payload) {
        return frame((fin ? 0x80 : 0) | opcode, true, payload);
    }

    /** A frame with the given first byte (FIN, RSV, opcode), masked or not. */
    WsClient frame(int firstByte, boolean masked, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.writeBytes(mask);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i & 3];
            }
        }
        frame.writeBytes(body);
        http.send(frame.toByteArray());
        return this;
    }

    /** A close frame with {@code code} and {@code reason}. */
    WsClient close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return frame(true, CLOSE, payload);
    }

    /** The next frame from the server, as it came. */
    Frame read() {
        try {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if ((b1 & 0x80) != 0) {
                throw new AssertionError("the server masked a frame");
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0f, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next data or close frame, skipping the server's pings. */
    Frame readMessage() {
        Frame frame;
        do {
            frame = read();
        } while (frame.opcode() == PING || frame.opcode() == PONG);
        return frame;
    }

    /** Whether the server has closed the TCP connection (reads end-of-stream, skipping any frames). */
    boolean serverClosedTcp() {
        try {
            byte[] buf = new byte[1024];
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
