package dev.covet.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls a target's probe path with plain one-shot HTTP/1.1 requests (a blocking socket, one
 * request per connection) until the first 2xx answer. Refused connections while the server is
 * still starting are expected and only counted; anything else (a reset, a 5xx, a garbled
 * answer) is a warm-up error and is reported as such.
 */
final class ReadinessProbe {
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private ReadinessProbe() {
    }

    static Readiness await(TargetProcess process, String host, int port, String path, Duration timeout) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long deadline = process.startNanos() + timeout.toNanos();
        Map<String, Long> errors = new LinkedHashMap<>();
        List<String> samples = new ArrayList<>();
        int attempts = 0;
        int refused = 0;
        while (true) {
            long now = System.nanoTime();
            if (!process.isAlive()) {
                return new Readiness(false, null, null, attempts, refused, errors, samples,
                        "process exited with code " + process.exitCodeIfEnded() + " before answering " + path);
            }
            if (now > deadline) {
                return new Readiness(false, null, null, attempts, refused, errors, samples,
                        "no 2xx answer on " + path + " within " + timeout.toSeconds() + " s of process start");
            }
            attempts++;
            long t0 = System.nanoTime();
            try {
                int status = probeOnce(host, port, request);
                long t1 = System.nanoTime();
                if (status >= 200 && status < 300) {
                    return new Readiness(true, (t1 - process.startNanos()) / 1e6, (t1 - t0) / 1000,
                            attempts, refused, errors, samples, null);
                }
                count(errors, samples, ErrorKind.NON_2XX, "probe answered status " + status);
            } catch (ConnectException e) {
                refused++;
            } catch (SocketTimeoutException e) {
                count(errors, samples, ErrorKind.TIMEOUT, "probe: " + e.getMessage());
            } catch (MalformedResponse e) {
                count(errors, samples, ErrorKind.PROTOCOL, "probe: " + e.getMessage());
            } catch (IOException e) {
                count(errors, samples, ErrorKind.RESET, "probe: " + e);
            }
            long sleep = POLL_NANOS - (System.nanoTime() - t0);
            if (sleep > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(sleep));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Readiness(false, null, null, attempts, refused, errors, samples, "interrupted");
                }
            }
        }
    }

    private static void count(Map<String, Long> errors, List<String> samples, ErrorKind kind, String message) {
        errors.merge(kind.label(), 1L, Long::sum);
        if (samples.size() < 5 && !samples.contains(message)) {
            samples.add(message);
        }
    }

    /** One request; returns the status once the whole answer has been read (2 s to answer). */
    static int probeOnce(String host, int port, byte[] request) throws IOException {
        return probeOnce(host, port, request, Duration.ofSeconds(2));
    }

    /** One request; returns the status once the whole answer has been read, waiting at most {@code answer} per read. */
    static int probeOnce(String host, int port, byte[] request, Duration answer) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, answer.toMillis()));
            s.connect(new InetSocketAddress(host, port), 1000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String statusLine = readLine(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new MalformedResponse("not an HTTP/1.x status line: '" + statusLine + "'");
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new MalformedResponse("bad status in '" + statusLine + "'");
            }
            long length = -1;
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            if (length >= 0) {
                in.readNBytes((int) Math.min(length, 1 << 20));
            } else {
                in.readAllBytes();
            }
            return status;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
            if (b.size() > 8192) {
                throw new MalformedResponse("header line longer than 8 KiB");
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new MalformedResponse("connection closed before a complete header");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static final class MalformedResponse extends IOException {
        MalformedResponse(String message) {
            super(message);
        }
    }
}
