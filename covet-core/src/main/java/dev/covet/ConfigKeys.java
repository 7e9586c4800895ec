package dev.covet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Every externally settable key, its documentation, and how it is applied. The single source of
 * truth for docs/configuration.md (a test checks the page lists every key).
 *
 * <p>A key {@code covet.max-body-size} is read from {@code covet.properties} under that name and from
 * the environment as {@code COVET_MAX_BODY_SIZE}. Sizes accept {@code KB}, {@code MB}, {@code GB}
 * suffixes (powers of 1024); durations accept {@code ms}, {@code s}, {@code m}, {@code h}.
 */
final class ConfigKeys {

    /** A core key: applied to {@link CovetConfig}. */
    private static ExternalConfig.Key<CovetConfig> key(String name, String defaultValue, String description,
                                                        BiConsumer<CovetConfig, String> apply) {
        return new ExternalConfig.Key<>(name, defaultValue, description, apply);
    }

    static final List<ExternalConfig.Key<CovetConfig>> ALL = List.of(
            key("covet.host", CovetConfig.DEFAULT_HOST, "Address to listen on (0.0.0.0 for all interfaces).",
                    CovetConfig::host),
            key("covet.port", "" + CovetConfig.DEFAULT_PORT, "Port to listen on; 0 picks a free one.",
                    (c, v) -> c.port(integer(v))),
            key("covet.dev-mode", "false", "Stack traces in 500 responses. Never in production.",
                    (c, v) -> c.devMode(bool(v))),
            key("covet.io-threads", "0", "I/O threads; 0 means one per CPU core.",
                    (c, v) -> c.ioThreads(integer(v))),
            key("covet.transport", "auto", "auto, epoll, io_uring or nio. auto says loudly when epoll is unavailable.",
                    (c, v) -> c.transport(CovetConfig.Transport.valueOf(v.trim().toUpperCase(Locale.ROOT)))),
            key("covet.max-connections", "" + CovetConfig.DEFAULT_MAX_CONNECTIONS,
                    "Open connections beyond this are answered 503 and closed.", (c, v) -> c.maxConnections(integer(v))),
            key("covet.max-request-line", "8KB", "Longest request line; longer is answered 414.",
                    (c, v) -> c.maxRequestLine((int) size(v))),
            key("covet.max-header-size", "16KB", "Largest header block; larger is answered 431.",
                    (c, v) -> c.maxHeaderSize((int) size(v))),
            key("covet.max-body-size", "10MB", "Largest request body unless a route sets its own; larger is answered 413.",
                    (c, v) -> c.maxBodySize(size(v))),
            key("covet.max-pipelined", "" + CovetConfig.DEFAULT_MAX_PIPELINED,
                    "Pipelined requests queued per connection before the server stops reading from it.",
                    (c, v) -> c.maxPipelined(integer(v))),
            key("covet.header-read-timeout", "10s", "Time a client has to send a whole header block (408 after).",
                    (c, v) -> c.headerReadTimeout(duration(v))),
            key("covet.idle-timeout", "60s", "Keep-alive connections idle this long are closed; also bounds a stalled request body.",
                    (c, v) -> c.idleTimeout(duration(v))),
            key("covet.shutdown-timeout", "10s", "Time in-flight requests get to finish on shutdown.",
                    (c, v) -> c.shutdownTimeout(duration(v))),
            key("covet.blocked-loop-threshold", "50ms", "An I/O thread busy longer than this is reported with its stack.",
                    (c, v) -> c.blockedLoopThreshold(duration(v))),
            key("covet.write-timeout", "30s", "A streaming write stalled this long by a client that does not read fails.",
                    (c, v) -> c.writeTimeout(duration(v))),
            key("covet.multipart.memory-threshold", "64KB", "Uploaded parts larger than this are spooled to disk.",
                    (c, v) -> c.multipartMemoryThreshold(size(v))),
            key("covet.temp-dir", "java.io.tmpdir", "Directory for spooled uploads.",
                    (c, v) -> c.tempDir(Path.of(v))),
            key("covet.handle-signals", "true", "SIGTERM/SIGINT stop gracefully and exit 0.",
                    (c, v) -> c.handleSignals(bool(v))),
            key("covet.websocket.max-message-size", "64KB", "Largest WebSocket message, fragments together; larger closes with 1009.",
                    (c, v) -> c.webSocketMaxMessageSize((int) size(v))),
            key("covet.websocket.ping-interval", "30s", "WebSockets are pinged this often; one that missed the previous pong is closed (1001).",
                    (c, v) -> c.webSocketPingInterval(duration(v))),
            key("covet.websocket.idle-timeout", "5m", "A WebSocket that receives nothing for this long is closed (1001).",
                    (c, v) -> c.webSocketIdleTimeout(duration(v))),
            key("covet.websocket.max-queued-bytes", "1MB", "Outbound bytes a WebSocket may queue for a slow client before the overflow policy applies.",
                    (c, v) -> c.webSocketMaxQueuedBytes(size(v))),
            key("covet.websocket.overflow-policy", "close", "close (1008) or drop: what a full WebSocket outbound queue does.",
                    (c, v) -> c.webSocketOverflow(CovetConfig.WebSocketOverflow.valueOf(v.trim().toUpperCase(Locale.ROOT)))),
            key("covet.websocket.allowed-origins", "", "Comma-separated Origins allowed to open WebSockets (403 otherwise); empty allows all.",
                    (c, v) -> c.webSocketAllowedOrigins(v.isBlank() ? List.of()
                            : java.util.Arrays.stream(v.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList())),
            key("covet.websocket.compression", "true", "Accept permessage-deflate when a client offers it.",
                    (c, v) -> c.webSocketCompression(bool(v))));

    private ConfigKeys() { }

    /**
     * Applies {@code covet.properties} and then the environment (see {@link ExternalConfig}).
     *
     * @throws IllegalArgumentException naming the key, the source and the bad value, or an unknown
     *     core key in the file
     */
    static void applyExternal(CovetConfig config, Map<String, String> env, ClassLoader loader) {
        ExternalConfig.load(env, loader).apply(config, ALL, ConfigKeys::isCoreKey, "docs/configuration.md lists the valid ones");
    }

    private static boolean isCoreKey(String name) {
        if (!name.startsWith("covet.")) {
            return false;
        }
        String rest = name.substring("covet.".length());
        return rest.indexOf('.') < 0 || rest.startsWith("multipart.") || rest.startsWith("websocket.");
    }

    static int integer(String v) {
        return ExternalConfig.parseInt(v);
    }

    static boolean bool(String v) {
        return ExternalConfig.parseBoolean(v);
    }

    static long size(String v) {
        return ExternalConfig.parseSize(v);
    }

    static Duration duration(String v) {
        return ExternalConfig.parseDuration(v);
    }
}
