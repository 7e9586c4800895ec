package dev.covet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client for tests: it sends exactly the bytes it is given and parses
 * what comes back strictly (CRLF line ends, Content-Length or chunked framing), so a test sees the
 * server's wire behaviour, not a library's interpretation of it.
 */
final class RawHttp implements AutoCloseable {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawHttp connect(int port) {
        return connect(port, DEFAULT_TIMEOUT);
    }

    static RawHttp connect(int port, Duration readTimeout) {
        try {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends {@code text} as ISO-8859-1 bytes, so every char below 256 goes out as exactly one byte. */
    RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends bytes, ignoring a connection the server has already closed (it may answer before reading all). */
    RawHttp sendQuietly(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException ignored) {
            // the server closed first; the response (if any) is still readable
        }
        return this;
    }

    RawHttp timeout(Duration readTimeout) {
        try {
            socket.setSoTimeout((int) readTimeout.toMillis());
        } catch (SocketException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return this;
    }

    /** Reads one response to a request that was not HEAD. */
    Response read() {
        return read(false);
    }

    /** Reads one response; {@code toHead} says the request was HEAD, so no body follows whatever the headers say. */
    Response read(boolean toHead) {
        try {
            String statusLine = readLine();
            if (statusLine == null) {
                throw new AssertionError("The server closed the connection without a response");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].equals("HTTP/1.1") || parts[1].length() != 3) {
                throw new AssertionError("Not an HTTP/1.1 status line: '" + statusLine + "'");
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String line;
            while (!(line = requireLine()).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new AssertionError("Malformed response header line: '" + line + "'");
                }
                headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            byte[] body;
            boolean chunked = false;
            List<String> te = headers.get("transfer-encoding");
            List<String> cl = headers.get("content-length");
            if (toHead || status < 200 || status == 204 || status == 304) {
                body = new byte[0];
            } else if (te != null) {
                if (!te.equals(List.of("chunked"))) {
                    throw new AssertionError("Unexpected Transfer-Encoding " + te);
                }
                chunked = true;
                body = readChunked();
            } else if (cl != null) {
                if (cl.size() != 1) {
                    throw new AssertionError("Several Content-Length headers: " + cl);
                }
                body = in.readNBytes(Integer.parseInt(cl.getFirst()));
                if (body.length != Integer.parseInt(cl.getFirst())) {
                    throw new AssertionError("Body shorter than its Content-Length " + cl);
                }
            } else {
                body = in.readAllBytes(); // delimited by close
            }
            return new Response(status, parts.length > 2 ? parts[2] : "", headers, body, chunked);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("No (complete) response within the read timeout", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = requireLine();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt(semi < 0 ? sizeLine : sizeLine.substring(0, semi), 16);
            if (size == 0) {
                while (!requireLine().isEmpty()) {
                    // trailers: ignored
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new AssertionError("Truncated chunk");
            }
            body.write(chunk);
            if (!requireLine().isEmpty()) {
                throw new AssertionError("Chunk data longer than its size");
            }
        }
    }

    private String requireLine() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new AssertionError("The connection closed in the middle of a response");
        }
        return line;
    }

    /** A CRLF-terminated line, or null at end of stream before any byte. A bare LF is a server bug. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new AssertionError("CR not followed by LF in the response");
                }
                return line.toString();
            }
            if (b == '\n') {
                throw new AssertionError("Bare LF in the response");
            }
            line.append((char) b);
        }
        if (line.isEmpty()) {
            return null;
        }
        throw new AssertionError("The connection closed in the middle of a line: '" + line + "'");
    }

    /**
     * Whether the server closes the connection within the read timeout, sending nothing more.
     *
     * @throws AssertionError if the server sends more bytes instead
     */
    boolean closedByServer() {
        try {
            int b = in.read();
            if (b >= 0) {
                byte[] rest = in.readNBytes(Math.min(in.available(), 200));
                throw new AssertionError("Expected the server to close, but it sent more: "
                        + (char) b + new String(rest, StandardCharsets.ISO_8859_1));
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset: closed as well
        }
    }

    /** Whether the connection is still open after waiting {@code quiet} for the server to do anything. */
    boolean staysOpenFor(Duration quiet) {
        try {
            socket.setSoTimeout((int) quiet.toMillis());
            return !closedByServer();
        } catch (SocketException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    record Response(int status, String reason, Map<String, List<String>> headers, byte[] body, boolean chunked) {
        /** The single value of a header (names are case-insensitive), or null if absent. */
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            if (values == null) {
                return null;
            }
            if (values.size() != 1) {
                throw new AssertionError("Header " + name + " appears " + values.size() + " times: " + values);
            }
            return values.getFirst();
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + reason + " " + headers + " " + bodyText();
        }
    }
}
