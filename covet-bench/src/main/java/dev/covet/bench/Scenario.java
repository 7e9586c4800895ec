package dev.covet.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kind of request a benchmark sends, and what it accepts back.
 *
 * <p>A scenario is protocol data, not code: a method, a path, headers, an optional body, a
 * {@link ResponseCheck}, and whether it pipelines. The request is encoded once per run
 * ({@link #encode(String, int)}) and the same bytes are written for every request, so the load
 * generator builds no strings per request.
 *
 * <p>Every scenario is named in {@link ScenarioCatalog}: the JWT one is a header ({@code Authorization});
 * the database and API ones a path plus a {@link ParsedBodyCheck}; the connection and WebSocket ones
 * ({@link ConnectionScenarios}) use {@link PacedConnection}/{@link WsConnection}, and {@link #protocol()}
 * tells their {@link Workload} apart.
 *
 * @param name         the name used on the command line and in reports
 * @param description  one line for the report
 * @param method       HTTP method
 * @param path         request target
 * @param headers      extra request headers (Host is always added)
 * @param body         request body, empty for none
 * @param check        what a correct response is
 * @param pipelined    whether the {@code --pipeline} depth applies (otherwise depth is 1)
 * @param protocol     the {@link Workload}'s protocol: {@code "http/1.1"} for request scenarios
 */
public record Scenario(
        String name,
        String description,
        String method,
        String path,
        Map<String, String> headers,
        byte[] body,
        ResponseCheck check,
        boolean pipelined,
        String protocol) {

    /** TechEmpower's plaintext body. */
    public static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    /** TechEmpower's json body, as serialised without spaces. */
    public static final byte[] HELLO_JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);
    /** The small JSON document the echo scenario posts. */
    public static final byte[] ECHO_BODY =
            "{\"id\":42,\"name\":\"covet\",\"tags\":[\"bench\",\"echo\"],\"ok\":true}".getBytes(StandardCharsets.US_ASCII);

    public Scenario {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /** {@code GET /plaintext}, pipelined, expecting exactly {@code Hello, World!}. */
    public static Scenario plaintext() {
        return new Scenario("plaintext", "GET /plaintext, pipelined, expects exactly 'Hello, World!'",
                "GET", "/plaintext", Map.of("Accept", "text/plain"), new byte[0],
                ResponseCheck.exact(200, HELLO), true, "http/1.1");
    }

    /** {@code GET /json}, expecting exactly {@code {"message":"Hello, World!"}}. */
    public static Scenario json() {
        return new Scenario("json", "GET /json, expects exactly {\"message\":\"Hello, World!\"}",
                "GET", "/json", Map.of("Accept", "application/json"), new byte[0],
                ResponseCheck.exact(200, HELLO_JSON), false, "http/1.1");
    }

    /** {@code POST /echo} with a small JSON body, expecting the same bytes back. */
    public static Scenario echo() {
        return new Scenario("echo", "POST /echo with a " + ECHO_BODY.length + "-byte JSON body, expects it back",
                "POST", "/echo", Map.of("Content-Type", "application/json", "Accept", "application/json"),
                ECHO_BODY, ResponseCheck.exact(200, ECHO_BODY), false, "http/1.1");
    }

    /** The protocol basics (plaintext, json, echo), by name, in report order; {@link ScenarioCatalog} knows every scenario. */
    public static Map<String, Scenario> builtIn() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        for (Scenario s : List.of(plaintext(), json(), echo())) {
            all.put(s.name(), s);
        }
        return all;
    }

    /** Looks a protocol-basic scenario up by name. */
    public static Scenario byName(String name) {
        Scenario s = builtIn().get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + builtIn().keySet());
        }
        return s;
    }

    /** Pipelining depth this scenario runs at, given the {@code --pipeline} setting. */
    public int depth(int pipelineSetting) {
        return pipelined ? Math.max(1, pipelineSetting) : 1;
    }

    /** The complete request, encoded once: request line, headers, blank line, body. */
    public byte[] encode(String host, int port) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host).append(':').append(port).append("\r\n");
        headers.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(h -> sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        if (body.length > 0 || !method.equals("GET")) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scenario s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
