package dev.covet.data;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * Every {@code covet.data.*} key: its default, its meaning and how it is applied. docs/data.md lists
 * them all (a test checks). {@code covet.data.pool-size} is read from the system property of that name
 * and from the environment variable {@code COVET_DATA_POOL_SIZE}; the environment wins.
 */
final class DataConfigKeys {

    record Key(String name, String defaultValue, String description, BiConsumer<Database.Builder, String> apply) {
        String envName() {
            return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    static final List<Key> ALL = List.of(
            new Key("covet.data.url", "(none)", "Database URL: sqlite:path/file.db, postgresql://user@host:5432/db, "
                    + "mariadb://user@host:3306/db or mysql://...", Database.Builder::url),
            new Key("covet.data.user", "(from the URL)", "User, when not in the URL.", Database.Builder::user),
            new Key("covet.data.password", "(from the URL)", "Password, when not in the URL.", Database.Builder::password),
            new Key("covet.data.pool-size", "2 x cores, at least 4", "Pooled connections (SQLite: readers; one writer).",
                    (b, v) -> b.poolSize(integer(v))),
            new Key("covet.data.acquisition-timeout", "5s", "Wait for a free connection before 503 database-busy.",
                    (b, v) -> b.acquisitionTimeout(duration(v))),
            new Key("covet.data.max-lifetime", "30m", "Connections are replaced after this long.",
                    (b, v) -> b.maxLifetime(duration(v))),
            new Key("covet.data.leak-detection-threshold", "0 (off)", "A connection held longer is logged with its stack.",
                    (b, v) -> b.leakDetectionThreshold(duration(v))),
            new Key("covet.data.validation-timeout", "2s", "Time allowed to check a connection is alive.",
                    (b, v) -> b.validationTimeout(duration(v))),
            new Key("covet.data.slow-statement-threshold", "500ms", "Statements slower than this are logged.",
                    (b, v) -> b.slowStatementThreshold(duration(v))));

    private DataConfigKeys() { }

    static void apply(Database.Builder b, Properties system, Map<String, String> env) {
        for (Key key : ALL) {
            String v = system.getProperty(key.name());
            if (v != null) {
                apply(b, key, v, "system property " + key.name());
            }
        }
        for (Key key : ALL) {
            String v = env.get(key.envName());
            if (v != null) {
                apply(b, key, v, "environment variable " + key.envName());
            }
        }
    }

    private static void apply(Database.Builder b, Key key, String value, String source) {
        try {
            key.apply().accept(b, value.trim());
        } catch (RuntimeException e) {
            String shown = key.name().endsWith("password") ? "***" : value;
            throw new IllegalArgumentException("Invalid value '" + shown + "' for " + key.name() + " (from " + source
                    + "): " + e.getMessage() + ". Default: " + key.defaultValue(), e);
        }
    }

    static int integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }

    static Duration duration(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        try {
            if (s.equals("0")) {
                return Duration.ZERO;
            }
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
