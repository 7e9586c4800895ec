package dev.covet;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The settings of a {@link Covet} app, with safe defaults. Set them in code inside
 * {@code Covet.create(config -> ...)}; a {@code covet.properties} file overrides code, and
 * {@code COVET_*} environment variables override the file (see docs/configuration.md, which lists
 * every key). The configuration is sealed when the server starts.
 */
public final class CovetConfig {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_REQUEST_LINE = 8 * 1024;
    public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
    public static final long DEFAULT_MAX_BODY_SIZE = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_PIPELINED = 64;
    public static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BLOCKED_LOOP_THRESHOLD = Duration.ofMillis(50);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MULTIPART_MEMORY_THRESHOLD = 64 * 1024;
    public static final int DEFAULT_WEBSOCKET_MAX_MESSAGE_SIZE = 64 * 1024;
    public static final Duration DEFAULT_WEBSOCKET_PING_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WEBSOCKET_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final long DEFAULT_WEBSOCKET_MAX_QUEUED_BYTES = 1024 * 1024;

    /** Which I/O transport to use. {@code AUTO} picks epoll, and says loudly why if it cannot. */
    public enum Transport { AUTO, EPOLL, IO_URING, NIO }

    /** What happens when a WebSocket's outbound queue is full: close the connection (1008) or drop the message. */
    public enum WebSocketOverflow { CLOSE, DROP }

    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private boolean devMode;
    private int ioThreads;
    private Transport transport = Transport.AUTO;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxRequestLine = DEFAULT_MAX_REQUEST_LINE;
    private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
    private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
    private int maxPipelined = DEFAULT_MAX_PIPELINED;
    private Duration headerReadTimeout = DEFAULT_HEADER_READ_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Duration blockedLoopThreshold = DEFAULT_BLOCKED_LOOP_THRESHOLD;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private long multipartMemoryThreshold = DEFAULT_MULTIPART_MEMORY_THRESHOLD;
    private Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
    private boolean handleSignals = true;
    private int webSocketMaxMessageSize = DEFAULT_WEBSOCKET_MAX_MESSAGE_SIZE;
    private Duration webSocketPingInterval = DEFAULT_WEBSOCKET_PING_INTERVAL;
    private Duration webSocketIdleTimeout = DEFAULT_WEBSOCKET_IDLE_TIMEOUT;
    private long webSocketMaxQueuedBytes = DEFAULT_WEBSOCKET_MAX_QUEUED_BYTES;
    private WebSocketOverflow webSocketOverflow = WebSocketOverflow.CLOSE;
    private java.util.List<String> webSocketAllowedOrigins = java.util.List.of();
    private boolean webSocketCompression = true;
    private boolean loadExternal = true;
    private boolean sealed;

    CovetConfig() { }

    /** The address to listen on; default {@value #DEFAULT_HOST} (use {@code 0.0.0.0} in a container). */
    public CovetConfig host(String host) { check(); this.host = host; return this; }
    /** The port to listen on; default {@value #DEFAULT_PORT}; 0 picks a free port. */
    public CovetConfig port(int port) {
        check();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        this.port = port;
        return this;
    }
    /** Dev mode puts stack traces in 500 responses; never enable it in production. Default off. */
    public CovetConfig devMode(boolean devMode) { check(); this.devMode = devMode; return this; }
    /** Number of I/O (event-loop) threads; default 0 = one per CPU core. */
    public CovetConfig ioThreads(int ioThreads) { check(); this.ioThreads = atLeast("ioThreads", ioThreads, 0); return this; }
    /** The I/O transport; default {@code AUTO} (epoll when available). */
    public CovetConfig transport(Transport transport) { check(); this.transport = transport; return this; }
    /** Connections beyond this are refused with 503 and closed; default {@value #DEFAULT_MAX_CONNECTIONS}. */
    public CovetConfig maxConnections(int n) { check(); this.maxConnections = atLeast("maxConnections", n, 1); return this; }
    /** Longest request line in bytes (414 beyond); default {@value #DEFAULT_MAX_REQUEST_LINE}. */
    public CovetConfig maxRequestLine(int bytes) { check(); this.maxRequestLine = atLeast("maxRequestLine", bytes, 64); return this; }
    /** Largest header block in bytes (431 beyond); default {@value #DEFAULT_MAX_HEADER_SIZE}. */
    public CovetConfig maxHeaderSize(int bytes) { check(); this.maxHeaderSize = atLeast("maxHeaderSize", bytes, 256); return this; }
    /** Largest request body in bytes (413 beyond), unless a route sets its own; default 10 MiB. */
    public CovetConfig maxBodySize(long bytes) {
        check();
        if (bytes < 0) {
            throw new IllegalArgumentException("maxBodySize must be >= 0, was " + bytes);
        }
        this.maxBodySize = bytes;
        return this;
    }
    /** Pipelined requests queued per connection before the server stops reading it; default {@value #DEFAULT_MAX_PIPELINED}. */
    public CovetConfig maxPipelined(int n) { check(); this.maxPipelined = atLeast("maxPipelined", n, 1); return this; }
    /** A client must send a whole header block within this time (else 408 and close); default 10 s. */
    public CovetConfig headerReadTimeout(Duration d) { check(); this.headerReadTimeout = positive("headerReadTimeout", d); return this; }
    /** A keep-alive connection with no request for this long is closed; default 60 s. */
    public CovetConfig idleTimeout(Duration d) { check(); this.idleTimeout = positive("idleTimeout", d); return this; }
    /** On stop, in-flight requests get this long to finish; default 10 s. */
    public CovetConfig shutdownTimeout(Duration d) { check(); this.shutdownTimeout = positive("shutdownTimeout", d); return this; }
    /** An I/O thread busy longer than this is reported with its stack; default 50 ms. */
    public CovetConfig blockedLoopThreshold(Duration d) { check(); this.blockedLoopThreshold = positive("blockedLoopThreshold", d); return this; }
    /** A streaming write that cannot proceed for this long (client not reading) fails; default 30 s. */
    public CovetConfig writeTimeout(Duration d) { check(); this.writeTimeout = positive("writeTimeout", d); return this; }
    /** Multipart file parts above this many bytes go to a temporary file; default 64 KiB. */
    public CovetConfig multipartMemoryThreshold(long bytes) { check(); this.multipartMemoryThreshold = Math.max(0, bytes); return this; }
    /** Where multipart parts above the memory threshold are spooled; default {@code java.io.tmpdir}. */
    public CovetConfig tempDir(Path dir) { check(); this.tempDir = dir; return this; }
    /** Whether SIGTERM/SIGINT stop the server gracefully and exit 0; default on (the test kit turns it off). */
    public CovetConfig handleSignals(boolean handle) { check(); this.handleSignals = handle; return this; }
    /** Whether {@code covet.properties} and {@code COVET_*} variables are read at start; default on. */
    public CovetConfig loadExternal(boolean load) { check(); this.loadExternal = load; return this; }

    /** Largest WebSocket message (all fragments together) in bytes; larger closes with 1009. Default 64 KiB. */
    public CovetConfig webSocketMaxMessageSize(int bytes) { check(); this.webSocketMaxMessageSize = atLeast("webSocketMaxMessageSize", bytes, 125); return this; }
    /** The server pings each WebSocket this often and closes (1001) one that has not answered the previous ping; default 30 s. */
    public CovetConfig webSocketPingInterval(Duration d) { check(); this.webSocketPingInterval = positive("webSocketPingInterval", d); return this; }
    /** A WebSocket that receives nothing (not even a pong) for this long is closed with 1001; default 5 min. */
    public CovetConfig webSocketIdleTimeout(Duration d) { check(); this.webSocketIdleTimeout = positive("webSocketIdleTimeout", d); return this; }
    /** Bytes a WebSocket may have queued for a slow client before the overflow policy applies; default 1 MiB. */
    public CovetConfig webSocketMaxQueuedBytes(long bytes) {
        check();
        if (bytes < 1) {
            throw new IllegalArgumentException("webSocketMaxQueuedBytes must be >= 1, was " + bytes);
        }
        this.webSocketMaxQueuedBytes = bytes;
        return this;
    }
    /** What a full outbound queue does: {@code CLOSE} the connection (1008, the default) or {@code DROP} the message. */
    public CovetConfig webSocketOverflow(WebSocketOverflow policy) { check(); this.webSocketOverflow = java.util.Objects.requireNonNull(policy); return this; }
    /**
     * Origins (e.g. {@code https://example.com}) allowed to open WebSockets; a handshake from another
     * Origin is answered 403. Default: empty, which allows every origin (and requests without Origin).
     */
    public CovetConfig webSocketAllowedOrigins(java.util.List<String> origins) { check(); this.webSocketAllowedOrigins = java.util.List.copyOf(origins); return this; }
    /** Whether permessage-deflate is accepted when a client offers it; default on. */
    public CovetConfig webSocketCompression(boolean enabled) { check(); this.webSocketCompression = enabled; return this; }

    public String host() { return host; }
    public int port() { return port; }
    public boolean devMode() { return devMode; }
    public int ioThreads() { return ioThreads; }
    public Transport transport() { return transport; }
    public int maxConnections() { return maxConnections; }
    public int maxRequestLine() { return maxRequestLine; }
    public int maxHeaderSize() { return maxHeaderSize; }
    public long maxBodySize() { return maxBodySize; }
    public int maxPipelined() { return maxPipelined; }
    public Duration headerReadTimeout() { return headerReadTimeout; }
    public Duration idleTimeout() { return idleTimeout; }
    public Duration shutdownTimeout() { return shutdownTimeout; }
    public Duration blockedLoopThreshold() { return blockedLoopThreshold; }
    public Duration writeTimeout() { return writeTimeout; }
    public long multipartMemoryThreshold() { return multipartMemoryThreshold; }
    public Path tempDir() { return tempDir; }
    public boolean handleSignals() { return handleSignals; }
    public boolean loadExternal() { return loadExternal; }
    public int webSocketMaxMessageSize() { return webSocketMaxMessageSize; }
    public Duration webSocketPingInterval() { return webSocketPingInterval; }
    public Duration webSocketIdleTimeout() { return webSocketIdleTimeout; }
    public long webSocketMaxQueuedBytes() { return webSocketMaxQueuedBytes; }
    public WebSocketOverflow webSocketOverflow() { return webSocketOverflow; }
    public java.util.List<String> webSocketAllowedOrigins() { return webSocketAllowedOrigins; }
    public boolean webSocketCompression() { return webSocketCompression; }

    void seal() {
        sealed = true;
    }

    private void check() {
        if (sealed) {
            throw new IllegalStateException("Configuration is sealed once the server has started");
        }
    }

    private static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    private static Duration positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
        return d;
    }
}
