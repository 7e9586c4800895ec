package dev.covet;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw-socket WebSocket client for conformance tests: it writes exactly the bytes a test asks for
 * (unmasked frames, reserved bits, bad opcodes) and reads frames as they come, unprocessed.
 */
final class WsClient implements AutoCloseable {
    static final int CONTINUATION = 0, TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    record Head(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    Head head;

    private WsClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
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

    /** Sends a valid handshake plus {@code headers} and reads the answer's head, whatever its status. */
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

    /** Sends {@code request} as is and reads the answer's head (and body, if it has a Content-Length). */
    static WsClient raw(int port, String request) {
        try {
            WsClient client = new WsClient(port);
            client.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            client.out.flush();
            client.head = client.readHead();
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Head readHead() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String statusLine = null;
        Map<String, String> headers = new LinkedHashMap<>();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the response head");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1).strip();
                line.reset();
                if (text.isEmpty()) {
                    break;
                }
                if (statusLine == null) {
                    statusLine = text;
                } else {
                    int colon = text.indexOf(':');
                    headers.put(text.substring(0, colon).trim().toLowerCase(Locale.ROOT), text.substring(colon + 1).trim());
                }
            } else {
                line.write(b);
            }
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        String body = "";
        if (headers.containsKey("content-length")) {
            byte[] bytes = new byte[Integer.parseInt(headers.get("content-length"))];
            in.readFully(bytes);
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        return new Head(status, headers, body);
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
        try {
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
                frame.write(mask);
                for (int i = 0; i < body.length; i++) {
                    body[i] ^= mask[i & 3];
                }
            }
            frame.write(body);
            out.write(frame.toByteArray());
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static String key() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }
}
