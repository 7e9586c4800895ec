package dev.covet;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
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

    record Key(String name, String defaultValue, String description, BiConsumer<CovetConfig, String> apply) {
        String envName() {
            return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    static final List<Key> ALL = List.of(
            new Key("covet.host", CovetConfig.DEFAULT_HOST, "Address to listen on (0.0.0.0 for all interfaces).",
                    CovetConfig::host),
            new Key("covet.port", "" + CovetConfig.DEFAULT_PORT, "Port to listen on; 0 picks a free one.",
                    (c, v) -> c.port(integer(v))),
            new Key("covet.dev-mode", "false", "Stack traces in 500 responses. Never in production.",
                    (c, v) -> c.devMode(bool(v))),
            new Key("covet.io-threads", "0", "I/O threads; 0 means one per CPU core.",
                    (c, v) -> c.ioThreads(integer(v))),
            new Key("covet.transport", "auto", "auto, epoll, io_uring or nio. auto says loudly when epoll is unavailable.",
                    (c, v) -> c.transport(CovetConfig.Transport.valueOf(v.trim().toUpperCase(Locale.ROOT)))),
            new Key("covet.max-connections", "" + CovetConfig.DEFAULT_MAX_CONNECTIONS,
                    "Open connections beyond this are answered 503 and closed.", (c, v) -> c.maxConnections(integer(v))),
            new Key("covet.max-request-line", "8KB", "Longest request line; longer is answered 414.",
                    (c, v) -> c.maxRequestLine((int) size(v))),
            new Key("covet.max-header-size", "16KB", "Largest header block; larger is answered 431.",
                    (c, v) -> c.maxHeaderSize((int) size(v))),
            new Key("covet.max-body-size", "10MB", "Largest request body unless a route sets its own; larger is answered 413.",
                    (c, v) -> c.maxBodySize(size(v))),
            new Key("covet.max-pipelined", "" + CovetConfig.DEFAULT_MAX_PIPELINED,
                    "Pipelined requests queued per connection before the server stops reading from it.",
                    (c, v) -> c.maxPipelined(integer(v))),
            new Key("covet.header-read-timeout", "10s", "Time a client has to send a whole header block (408 after).",
                    (c, v) -> c.headerReadTimeout(duration(v))),
            new Key("covet.idle-timeout", "60s", "Keep-alive connections idle this long are closed; also bounds a stalled request body.",
                    (c, v) -> c.idleTimeout(duration(v))),
            new Key("covet.shutdown-timeout", "10s", "Time in-flight requests get to finish on shutdown.",
                    (c, v) -> c.shutdownTimeout(duration(v))),
            new Key("covet.blocked-loop-threshold", "50ms", "An I/O thread busy longer than this is reported with its stack.",
                    (c, v) -> c.blockedLoopThreshold(duration(v))),
            new Key("covet.write-timeout", "30s", "A streaming write stalled this long by a client that does not read fails.",
                    (c, v) -> c.writeTimeout(duration(v))),
            new Key("covet.multipart.memory-threshold", "64KB", "Uploaded parts larger than this are spooled to disk.",
                    (c, v) -> c.multipartMemoryThreshold(size(v))),
            new Key("covet.temp-dir", "java.io.tmpdir", "Directory for spooled uploads.",
                    (c, v) -> c.tempDir(Path.of(v))),
            new Key("covet.handle-signals", "true", "SIGTERM/SIGINT stop gracefully and exit 0.",
                    (c, v) -> c.handleSignals(bool(v))));

    private ConfigKeys() { }

    /**
     * Applies {@code covet.properties} (from the file named by {@code COVET_CONFIG}, else the working
     * directory, else the classpath), then the environment.
     *
     * @throws IllegalArgumentException naming the key, the source and the bad value
     */
    static void applyExternal(CovetConfig config, Map<String, String> env, ClassLoader loader) {
        Properties file = new Properties();
        String source = readProperties(file, env, loader);
        for (Key key : ALL) {
            String fromFile = file.getProperty(key.name());
            if (fromFile != null) {
                apply(config, key, fromFile, source);
            }
        }
        for (Key key : ALL) {
            String fromEnv = env.get(key.envName());
            if (fromEnv != null) {
                apply(config, key, fromEnv, "environment variable " + key.envName());
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String name : file.stringPropertyNames()) {
            if (name.startsWith("covet.") && ALL.stream().noneMatch(k -> k.name().equals(name))) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown key(s) " + unknown + " in " + source
                    + "; docs/configuration.md lists the valid ones");
        }
    }

    private static void apply(CovetConfig config, Key key, String value, String source) {
        try {
            key.apply().accept(config, value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid value '" + value + "' for " + key.name() + " (from " + source
                    + "): " + e.getMessage() + ". Default: " + key.defaultValue(), e);
        }
    }

    private static String readProperties(Properties into, Map<String, String> env, ClassLoader loader) {
        try {
            String explicit = env.get("COVET_CONFIG");
            Path path = explicit != null ? Path.of(explicit) : Path.of("covet.properties");
            if (Files.isRegularFile(path)) {
                try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                    into.load(reader);
                }
                return path.toAbsolutePath().toString();
            }
            if (explicit != null) {
                throw new IllegalArgumentException("COVET_CONFIG names " + path.toAbsolutePath()
                        + ", which is not a readable file");
            }
            try (InputStream in = loader.getResourceAsStream("covet.properties")) {
                if (in != null) {
                    into.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                    return "classpath:covet.properties";
                }
            }
            return "no covet.properties";
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read covet.properties: " + e.getMessage(), e);
        }
    }

    static int integer(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }

    static boolean bool(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean (true/false)");
        };
    }

    static long size(String v) {
        String s = v.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] suffix : new String[][] {{"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"}, {"B", "1"}}) {
            if (s.endsWith(suffix[0])) {
                unit = Long.parseLong(suffix[1]);
                s = s.substring(0, s.length() - suffix[0].length()).trim();
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size (e.g. 512KB, 10MB)");
        }
    }

    static Duration duration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1).trim());
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a duration (e.g. 500ms, 10s, 2m)");
        }
    }
}
