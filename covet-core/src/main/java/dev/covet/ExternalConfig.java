package dev.covet;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The settings a deployment gives from outside the code: a {@code covet.properties} file and
 * {@code COVET_*} environment variables, the environment winning. Core reads its keys through it, and
 * so do modules for theirs ({@code covet.data.*}, ...), so every setting of an app lives in one file
 * and one naming scheme: {@code covet.max-body-size} in the file is {@code COVET_MAX_BODY_SIZE} in the
 * environment.
 *
 * <p>The file is the one named by {@code COVET_CONFIG} (it must exist), else {@code ./covet.properties},
 * else a {@code covet.properties} resource on the classpath, else none.
 */
public final class ExternalConfig {

    /** A value and where it came from, for error messages. */
    public record Setting(String value, String source) { }

    private final Properties file;
    private final String fileSource;
    private final Map<String, String> env;

    private ExternalConfig(Properties file, String fileSource, Map<String, String> env) {
        this.file = file;
        this.fileSource = fileSource;
        this.env = env;
    }

    /** Reads the file and the process environment. */
    public static ExternalConfig load() {
        return load(System.getenv(), Thread.currentThread().getContextClassLoader());
    }

    /**
     * Reads the file and {@code env}.
     *
     * @throws IllegalArgumentException if {@code COVET_CONFIG} names a missing file or the file cannot be read
     */
    public static ExternalConfig load(Map<String, String> env, ClassLoader loader) {
        Properties file = new Properties();
        String source = readProperties(file, env, loader);
        return new ExternalConfig(file, source, Map.copyOf(env));
    }

    /** The value of {@code key} (e.g. {@code covet.port}): the environment's, else the file's. */
    public Optional<Setting> get(String key) {
        String name = envName(key);
        String fromEnv = env.get(name);
        if (fromEnv != null) {
            return Optional.of(new Setting(fromEnv.trim(), "environment variable " + name));
        }
        String fromFile = file.getProperty(key);
        return fromFile == null ? Optional.empty() : Optional.of(new Setting(fromFile.trim(), fileSource));
    }

    /**
     * One setting of a module: its name, its default and meaning as the docs list them, and how a value is
     * applied to the module's settings ({@code CovetConfig}, {@code Database.Builder}, ...).
     */
    public record Key<T>(String name, String defaultValue, String description, BiConsumer<T, String> apply) {
        public String envName() {
            return ExternalConfig.envName(name);
        }
    }

    /**
     * Applies every key set in the file or the environment to {@code target}, in the order given, then
     * refuses the file's keys that {@code owned} claims but no key names (typos).
     *
     * @param docs where the valid keys are listed, for the message
     * @throws IllegalArgumentException naming the key, the source and the bad value (a password shown as
     *     {@code ***}), or the unknown keys
     */
    public <T> void apply(T target, List<Key<T>> keys, Predicate<String> owned, String docs) {
        for (Key<T> key : keys) {
            get(key.name()).ifPresent(setting -> {
                try {
                    key.apply().accept(target, setting.value());
                } catch (RuntimeException e) {
                    String shown = key.name().endsWith("password") ? "***" : setting.value();
                    throw new IllegalArgumentException("Invalid value '" + shown + "' for " + key.name() + " (from "
                            + setting.source() + "): " + e.getMessage() + ". Default: " + key.defaultValue(), e);
                }
            });
        }
        refuseUnknown(owned, keys.stream().map(Key::name).toList(), docs);
    }

    /**
     * Refuses the file's keys that {@code owned} claims but that are not {@code known}.
     *
     * @throws IllegalArgumentException listing them and saying where the valid ones are listed
     */
    public void refuseUnknown(Predicate<String> owned, Collection<String> known, String docs) {
        List<String> unknown = fileKeys().stream().filter(owned).filter(name -> !known.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown key(s) " + unknown + " in " + fileSource + "; " + docs);
        }
    }

    /** The keys the file sets, for checking them against the known ones. */
    public Set<String> fileKeys() {
        return file.stringPropertyNames();
    }

    /** Where the file came from, for messages. */
    public String fileSource() {
        return fileSource;
    }

    /** The environment variable for a key: {@code covet.max-body-size} → {@code COVET_MAX_BODY_SIZE}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Parses a whole number. @throws IllegalArgumentException saying what was expected */
    public static int parseInt(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }

    /** Parses {@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}. */
    public static boolean parseBoolean(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean (true/false)");
        };
    }

    /** Parses a size such as {@code 512KB}, {@code 10MB}, {@code 1GB} (powers of 1024) or plain bytes. */
    public static long parseSize(String v) {
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

    /** Parses a duration such as {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or {@code 0}. */
    public static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("0")) {
            return Duration.ZERO;
        }
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
            try (InputStream in = loader == null ? null : loader.getResourceAsStream("covet.properties")) {
                if (in != null) {
                    into.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                    return "classpath:covet.properties";
                }
            }
            return "no covet.properties";
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read covet.properties: " + e.getMessage(), e);
        }
    }
}
