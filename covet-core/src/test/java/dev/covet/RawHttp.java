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
import java.util.Optional;

/**
 * A deliberately dumb HTTP/1.1 client for tests: it sends exactly the bytes it is given and parses
 * what comes back strictly (CRLF line ends, Content-Length or chunked framing), so a test sees the
 * server's wire behaviour, not a library's interpretation of it (the JDK client normalises targets
 * and hides framing). It is the one raw-socket HTTP client of these tests; {@link WsClient} opens
 * its WebSockets through it.
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

    /** Ends this side of the connection (a TCP half-close): the server sees the end of the stream. */
    RawHttp shutdownOutput() {
        try {
            socket.shutdownOutput();
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

    /** Sends a bodiless request for {@code target} exactly as written, with Host and {@code headerLines}. */
    RawHttp request(String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: test\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return send(request.append("\r\n").toString());
    }

    /** Sends a bodiless request (see {@link #request}) and reads its response. */
    Response exchange(String method, String target, String... headerLines) {
        return request(method, target, headerLines).read(method.equals("HEAD"));
    }

    /** Reads one response to a request that was not HEAD. */
    Response read() {
        return read(false);
    }

    /** Reads one response; {@code toHead} says the request was HEAD, so no body follows whatever the headers say. */
    Response read(boolean toHead) {
        return io(() -> {
            Response head = head();
            int status = head.status();
            if (toHead || status < 200 || status == 204 || status == 304) {
                return head;
            }
            List<String> te = head.headers().get("transfer-encoding");
            List<String> cl = head.headers().get("content-length");
            if (te != null) {
                if (!te.equals(List.of("chunked"))) {
                    throw new AssertionError("Unexpected Transfer-Encoding " + te);
                }
                return head.withBody(readChunked(), true);
            }
            if (cl != null) {
                if (cl.size() != 1) {
                    throw new AssertionError("Several Content-Length headers: " + cl);
                }
                byte[] body = in.readNBytes(Integer.parseInt(cl.getFirst()));
                if (body.length != Integer.parseInt(cl.getFirst())) {
                    throw new AssertionError("Body shorter than its Content-Length " + cl);
                }
                return head.withBody(body, false);
            }
            return head.withBody(in.readAllBytes(), false); // delimited by close
        });
    }

    /**
     * Reads only a response's status line and headers: the body, if any, stays on the wire for
     * {@link #readChunk()} or {@link #input()} (for a response that is still being written).
     */
    Response readHead() {
        return io(this::head);
    }

    /** Reads the next chunk of a chunked body; empty for the last chunk (whose trailers it skips). */
    byte[] readChunk() {
        return io(() -> {
            String sizeLine = requireLine();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt(semi < 0 ? sizeLine : sizeLine.substring(0, semi), 16);
            if (size == 0) {
                while (!requireLine().isEmpty()) {
                    // trailers: ignored
                }
                return new byte[0];
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new AssertionError("Truncated chunk");
            }
            if (!requireLine().isEmpty()) {
                throw new AssertionError("Chunk data longer than its size");
            }
            return chunk;
        });
    }

    /**
     * The connection's input, for what follows a response head: bytes a test reads itself, or the
     * frames of a protocol the server switched to. Buffered: read through this, never the socket's stream.
     */
    InputStream input() {
        return in;
    }

    private Response head() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new AssertionError("The server closed the connection without a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals("HTTP/1.1") || parts[1].length() != 3) {
            throw new AssertionError("Not an HTTP/1.1 status line: '" + statusLine + "'");
        }
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
        return new Response(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers, new byte[0], false);
    }

    private byte[] readChunked() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] chunk = readChunk(); chunk.length > 0; chunk = readChunk()) {
            body.writeBytes(chunk);
        }
        return body.toByteArray();
    }

    private interface Read<T> {
        T call() throws IOException;
    }

    /** Runs a read: a timeout fails the test, other I/O errors become unchecked. */
    private static <T> T io(Read<T> read) {
        try {
            return read.call();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("No (complete) response within the read timeout", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
            int previous = socket.getSoTimeout();
            socket.setSoTimeout((int) quiet.toMillis());
            boolean open = !closedByServer();
            if (open) {
                socket.setSoTimeout(previous);
            }
            return open;
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
        /**
         * The single value of a header (names are case-insensitive), empty if absent.
         *
         * @throws AssertionError if the header appears more than once
         */
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            if (values == null) {
                return Optional.empty();
            }
            if (values.size() != 1) {
                throw new AssertionError("Header " + name + " appears " + values.size() + " times: " + values);
            }
            return Optional.of(values.getFirst());
        }

        Response withBody(byte[] body, boolean chunked) {
            return new Response(status, reason, headers, body, chunked);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + reason + " " + headers + " " + text();
        }
    }
}
