package dev.covet.data;

import dev.covet.ExternalConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Every {@code covet.data.*} key: its default, its meaning and how it is applied. docs/data.md lists
 * them all (a test checks). {@code covet.data.pool-size} is read from {@code covet.properties} and from
 * the environment variable {@code COVET_DATA_POOL_SIZE}; the environment wins.
 */
final class DataConfigKeys {

    record Key(String name, String defaultValue, String description, BiConsumer<Database.Builder, String> apply) {
        String envName() {
            return ExternalConfig.envName(name);
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
                    (b, v) -> b.slowStatementThreshold(duration(v))),
            new Key("covet.data.pg-client", "pipelined", "PostgreSQL only: pipelined (Vert.x client for query, queryOne "
                    + "and update outside transactions) or jdbc (pgjdbc for everything).", (b, v) -> b.pgClient(PgClient.parse(v))),
            new Key("covet.data.pipelining-limit", "256", "Pipelined client: statements in flight per connection.",
                    (b, v) -> b.pipeliningLimit(integer(v))));

    private DataConfigKeys() { }

    /**
     * Applies {@code covet.data.*} from {@code covet.properties} and the environment, the environment
     * winning (the same layering as core's keys, through {@link ExternalConfig}).
     *
     * @throws IllegalArgumentException for a bad value, or an unknown {@code covet.data.*} key in the file
     */
    static void apply(Database.Builder b, Map<String, String> env) {
        ExternalConfig external = ExternalConfig.load(env, Thread.currentThread().getContextClassLoader());
        for (Key key : ALL) {
            external.get(key.name()).ifPresent(setting -> apply(b, key, setting.value(), setting.source()));
        }
        List<String> unknown = external.fileKeys().stream()
                .filter(name -> name.startsWith("covet.data.") && ALL.stream().noneMatch(k -> k.name().equals(name)))
                .sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown key(s) " + unknown + " in " + external.fileSource()
                    + "; docs/data.md lists the valid ones");
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
        return ExternalConfig.parseInt(v);
    }

    static Duration duration(String v) {
        return ExternalConfig.parseDuration(v);
    }
}
