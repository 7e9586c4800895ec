package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whatever bytes a client sends, the server answers with well-formed HTTP/1.1 and no 5xx (except 501
 * and 505, which are answers about the request), does not hang, keeps serving other clients and leaks
 * no buffer (checked by {@link TestServer} after the class).
 *
 * <p>Two fuzzers feed the same {@link #check} over real sockets:
 * <ul>
 *   <li>{@link #seededMutationsNeverBreakTheServer}: a mutation fuzzer that runs in every build. It
 *   mutates a corpus of valid requests (bit flips, inserted CR/LF/SP and separators, deleted and
 *   duplicated lines, huge and negative numbers, framing headers, pipelined splices) for
 *   {@code -Dcovet.fuzz.seconds} (default 20) from {@code -Dcovet.fuzz.seed} (default fixed, so CI is
 *   deterministic in its inputs). A failure prints the seed, the case number and the exact bytes as a
 *   Java string literal, ready to paste into a regression test.</li>
 *   <li>{@link #coverageGuided}: Jazzer (libFuzzer for the JVM). In a normal build it replays its
 *   corpus under {@code src/test/resources/dev/covet/HttpFuzzTestInputs/coverageGuided} (seeds and any
 *   saved findings). To fuzz: {@code JAZZER_FUZZ=1 mvn -o -f covet-core/pom.xml test
 *   -Dtest='HttpFuzzTest#coverageGuided' -Djazzer.max_duration=5m}; a finding is written to that
 *   directory and replayed as a regression test from then on.</li>
 * </ul>
 */
class HttpFuzzTest {
    private static final long SECONDS = Long.getLong("covet.fuzz.seconds", 20);
    private static final long SEED = Long.getLong("covet.fuzz.seed", 0xC0DE_F00DL);
    /** How long one case may take before the server is said to hang on it. */
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension
    static final TestServer server = TestServer.create(config -> config
            .headerReadTimeout(Duration.ofMillis(300))
            .idleTimeout(Duration.ofMillis(600))
            .maxRequestLine(1024)
            .maxHeaderSize(2048)
            .maxBodySize(4096));

    static final List<String> CORPUS = List.of(
            "GET /hello HTTP/1.1\r\nHost: test\r\n\r\n",
            "GET /hello?a=1&b=%20 HTTP/1.1\r\nHost: test:8080\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world",
            "POST /echo-nb HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello",
            "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
            "POST /small-nb HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: test\r\n\r\nPOST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc",
            "POST /count HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nbodyGET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n",
            "GET /stream HTTP/1.1\r\nHost: test\r\n\r\nGET /hello HTTP/1.0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
            "OPTIONS /resource HTTP/1.1\r\nHost: test\r\n\r\nPUT /resource HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n",
            "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /nowhere HTTP/1.0\r\n\r\n");

    @Test
    void seededMutationsNeverBreakTheServer() {
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        int cases = 0;
        int[] statuses = new int[600];
        System.out.printf("HttpFuzzTest: seed=%d (replay with -Dcovet.fuzz.seed=%d), %d s%n", SEED, SEED, SECONDS);
        while (System.nanoTime() < deadline) {
            byte[] request = mutate(random);
            boolean halfClose = random.nextInt(4) != 0;
            try {
                for (int status : check(request, halfClose)) {
                    statuses[status]++;
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Fuzz case " + cases + " (seed " + SEED + ", halfClose " + halfClose
                        + ") broke the server: " + e.getMessage() + "\nRequest: \"" + javaLiteral(request) + "\"", e);
            }
            cases++;
        }
        StringBuilder seen = new StringBuilder();
        for (int status = 0; status < statuses.length; status++) {
            if (statuses[status] > 0) {
                seen.append(' ').append(status).append('x').append(statuses[status]);
            }
        }
        System.out.printf("HttpFuzzTest: %d cases, statuses:%s%n", cases, seen);
        assertThat(cases).isPositive();
        assertThat(statuses[400]).as("the mutations reach the parser's error paths").isPositive();
        assertThat(statuses[200]).as("the mutations also keep requests valid").isPositive();
    }

    @FuzzTest(maxDuration = "20s")
    void coverageGuided(byte[] request) {
        try {
            // Jazzer's SSRF detector flags every socket connection unless told which ones are expected.
            BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        } catch (IllegalStateException noAgent) {
            // run without Jazzer's agent: there is no detector to configure
        }
        if (request.length > 0) {
            check(request, true);
        }
    }

    /**
     * Sends {@code request} on a fresh connection and checks every response; then checks that a fresh
     * connection is still served.
     *
     * @param halfClose whether to shut down the client's output after sending (the server then sees
     *     the end of the stream at once); otherwise the server's own timeouts must end the case
     * @return the statuses received
     * @throws AssertionError on a malformed response, a forbidden status, a hang, or a refused health check
     */
    static List<Integer> check(byte[] request, boolean halfClose) {
        List<Integer> statuses = new ArrayList<>();
        long deadline = System.nanoTime() + CASE_TIMEOUT.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
            socket.setSoTimeout((int) CASE_TIMEOUT.toMillis());
            try {
                socket.getOutputStream().write(request);
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // the server answered and closed before reading everything: fine, read what it said
            }
            ResponseReader reader = new ResponseReader(socket.getInputStream(), deadline);
            String text = new String(request, StandardCharsets.ISO_8859_1);
            boolean maybeHead = text.startsWith("HEAD ") || text.contains("\nHEAD ");
            Integer status;
            while ((status = reader.next(maybeHead)) != null) {
                statuses.add(status);
                if (status >= 500 && status != 501 && status != 505) {
                    throw new AssertionError("Status " + status + " for client input");
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("The server neither answered nor closed within " + CASE_TIMEOUT, e);
        } catch (IOException e) {
            // a reset connection is an acceptable end of a case (the server closed with unread input)
        }
        server.assertServesNextClient();
        return statuses;
    }

    /**
     * Reads responses strictly: status line {@code HTTP/1.1 NNN}, CRLF line ends, headers with a colon,
     * a body framed by Content-Length or chunked. Returns null at a clean end of stream between responses.
     */
    private static final class ResponseReader {
        private final InputStream in;
        private final long deadline;

        ResponseReader(InputStream in, long deadline) {
            this.in = new java.io.BufferedInputStream(in);
            this.deadline = deadline;
        }

        Integer next(boolean maybeHead) throws IOException {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("case deadline");
            }
            String statusLine = line(true);
            if (statusLine == null) {
                return null;
            }
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.1 ")
                    || statusLine.length() > 12 && statusLine.charAt(12) != ' ') {
                throw new AssertionError("Malformed status line '" + statusLine + "'");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long contentLength = -1;
            boolean chunked = false;
            String header;
            while (!(header = line(false)).isEmpty()) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new AssertionError("Malformed response header '" + header + "'");
                }
                String name = header.substring(0, colon).toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equals("transfer-encoding")) {
                    assertThat(value).isEqualTo("chunked");
                    chunked = true;
                }
            }
            if (status < 200 || status == 204 || status == 304) {
                return status;
            }
            if (chunked) {
                long size;
                while ((size = Long.parseLong(line(false), 16)) > 0) {
                    skip(size);
                    assertThat(line(false)).isEmpty();
                }
                while (!line(false).isEmpty()) {
                    // trailers
                }
            } else if (contentLength >= 0) {
                if (!maybeHead || !nextIsResponse()) {
                    skip(contentLength);
                }
            } else {
                in.skip(Long.MAX_VALUE); // an HTTP/1.0 body, ended by close
                while (in.read() >= 0) {
                    // drain
                }
            }
            return status;
        }

        /** After a response to what may have been HEAD: whether another response (or the end) follows, not a body. */
        private boolean nextIsResponse() throws IOException {
            in.mark(16);
            try {
                byte[] start = in.readNBytes(9);
                return start.length == 0 || new String(start, StandardCharsets.ISO_8859_1).equals("HTTP/1.1 ");
            } catch (SocketTimeoutException quiet) {
                return true; // nothing follows: it was HEAD on a kept-alive connection
            } finally {
                in.reset();
            }
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                if (in.read() < 0) {
                    throw new AssertionError("The connection closed inside a response body");
                }
                left--;
            }
        }

        private String line(boolean endAllowed) throws IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\r') {
                    if (in.read() != '\n') {
                        throw new AssertionError("CR without LF in a response");
                    }
                    return line.toString();
                }
                if (b == '\n' || b < 0x20 && b != '\t') {
                    throw new AssertionError("Control character 0x" + Integer.toHexString(b) + " in a response line");
                }
                line.append((char) b);
            }
            if (endAllowed && line.isEmpty()) {
                return null;
            }
            throw new AssertionError("The connection closed inside a response head: '" + line + "'");
        }
    }

    // ---- mutations ------------------------------------------------------------------------------

    private static final byte[] INTERESTING_BYTES = {'\r', '\n', ' ', '\t', ':', ',', ';', '0', 'f', '-', '+',
            0, 0x01, 0x0b, 0x7f, (byte) 0x80, (byte) 0xff, '%', '/', '?', '#', '*'};
    private static final String[] INTERESTING_LINES = {
            "Transfer-Encoding: chunked", "Content-Length: 0", "Content-Length: 5", "Content-Length: 99999999999",
            "Content-Length: -1", "Transfer-Encoding: gzip, chunked", "Expect: 100-continue", "Connection: close",
            "Host: other", "Content-Length: 3", "Transfer-Encoding: chunked, chunked", " folded", "X: \u0001",
            "Connection: keep-alive", "Expect: nothing"};
    private static final String[] INTERESTING_NUMBERS = {"0", "-1", "+1", "4294967296", "99999999999999999999",
            "ffffffff", "7fffffff", "0x10", "1.5", " 3 ", ""};

    static byte[] mutate(Random random) {
        String base = CORPUS.get(random.nextInt(CORPUS.size()));
        byte[] data = base.getBytes(StandardCharsets.ISO_8859_1);
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            data = mutateOnce(data, random);
        }
        return data;
    }

    private static byte[] mutateOnce(byte[] data, Random random) {
        int at = data.length == 0 ? 0 : random.nextInt(data.length);
        String text = new String(data, StandardCharsets.ISO_8859_1);
        return switch (random.nextInt(11)) {
            case 0 -> { // flip one bit
                byte[] copy = data.clone();
                if (copy.length > 0) {
                    copy[at] ^= (byte) (1 << random.nextInt(8));
                }
                yield copy;
            }
            case 1 -> splice(data, at, 0, new byte[] {INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]});
            case 2 -> splice(data, at, Math.min(data.length - at, 1 + random.nextInt(8)), new byte[0]);
            case 3 -> { // duplicate a line
                List<String> lines = new ArrayList<>(List.of(text.split("\r\n", -1)));
                int line = random.nextInt(lines.size());
                lines.add(line, lines.get(line));
                yield String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
            }
            case 4 -> splice(data, at, 0, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            case 5 -> text.replaceFirst("\r\n", random.nextBoolean() ? "\n" : "\r").getBytes(StandardCharsets.ISO_8859_1);
            case 6 -> { // replace a number
                String number = INTERESTING_NUMBERS[random.nextInt(INTERESTING_NUMBERS.length)];
                yield text.replaceFirst(random.nextBoolean() ? "\\b\\d+\\b" : "\\b[0-9a-f]+\\r\\n",
                        random.nextBoolean() ? number : number + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
            case 7 -> { // add a framing or odd header after the request line
                int lineEnd = text.indexOf("\r\n");
                String line = INTERESTING_LINES[random.nextInt(INTERESTING_LINES.length)];
                yield lineEnd < 0 ? data
                        : (text.substring(0, lineEnd + 2) + line + "\r\n" + text.substring(lineEnd + 2))
                                .getBytes(StandardCharsets.ISO_8859_1);
            }
            case 8 -> { // pipeline another request behind, or in the middle of, this one
                byte[] other = CORPUS.get(random.nextInt(CORPUS.size())).getBytes(StandardCharsets.ISO_8859_1);
                yield splice(data, random.nextBoolean() ? data.length : at, 0, other);
            }
            case 9 -> java.util.Arrays.copyOf(data, at); // truncate
            default -> { // repeat a run of bytes (long lines, long numbers)
                int length = Math.min(data.length - at, 1 + random.nextInt(4));
                byte[] run = java.util.Arrays.copyOfRange(data, at, at + length);
                byte[] repeated = new byte[run.length * (1 + random.nextInt(300))];
                for (int i = 0; i < repeated.length; i++) {
                    repeated[i] = run.length == 0 ? (byte) 'a' : run[i % run.length];
                }
                yield splice(data, at, 0, repeated);
            }
        };
    }

    private static byte[] splice(byte[] data, int at, int remove, byte[] insert) {
        byte[] result = new byte[data.length - remove + insert.length];
        System.arraycopy(data, 0, result, 0, at);
        System.arraycopy(insert, 0, result, at, insert.length);
        System.arraycopy(data, at + remove, result, at + insert.length, data.length - at - remove);
        return result;
    }

    static String javaLiteral(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte value : bytes) {
            int b = value & 0xff;
            switch (b) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (b < 0x20 || b >= 0x7f) {
                        out.append(String.format("\\u%04x", b));
                    } else {
                        out.append((char) b);
                    }
                }
            }
        }
        return out.toString();
    }
}
