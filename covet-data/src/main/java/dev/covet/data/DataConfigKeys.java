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

    /** A {@code covet.data.*} key: applied to {@link Database.Builder}. */
    private static ExternalConfig.Key<Database.Builder> key(String name, String defaultValue, String description,
                                                             BiConsumer<Database.Builder, String> apply) {
        return new ExternalConfig.Key<>(name, defaultValue, description, apply);
    }

    static final List<ExternalConfig.Key<Database.Builder>> ALL = List.of(
            key("covet.data.url", "(none)", "Database URL: sqlite:path/file.db, postgresql://user@host:5432/db, "
                    + "mariadb://user@host:3306/db or mysql://...", Database.Builder::url),
            key("covet.data.user", "(from the URL)", "User, when not in the URL.", Database.Builder::user),
            key("covet.data.password", "(from the URL)", "Password, when not in the URL.", Database.Builder::password),
            key("covet.data.pool-size", "2 x cores, at least 4", "Pooled connections (SQLite: readers; one writer).",
                    (b, v) -> b.poolSize(integer(v))),
            key("covet.data.acquisition-timeout", "5s", "Wait for a free connection before 503 database-busy.",
                    (b, v) -> b.acquisitionTimeout(duration(v))),
            key("covet.data.max-lifetime", "30m", "Connections are replaced after this long.",
                    (b, v) -> b.maxLifetime(duration(v))),
            key("covet.data.leak-detection-threshold", "0 (off)", "A connection held longer is logged with its stack.",
                    (b, v) -> b.leakDetectionThreshold(duration(v))),
            key("covet.data.validation-timeout", "2s", "Time allowed to check a connection is alive.",
                    (b, v) -> b.validationTimeout(duration(v))),
            key("covet.data.slow-statement-threshold", "500ms", "Statements slower than this are logged.",
                    (b, v) -> b.slowStatementThreshold(duration(v))),
            key("covet.data.pg-client", "pipelined", "PostgreSQL only: pipelined (Vert.x client for query, queryOne "
                    + "and update outside transactions) or jdbc (pgjdbc for everything).", (b, v) -> b.pgClient(PgClient.parse(v))),
            key("covet.data.pipelining-limit", "256", "Pipelined client: statements in flight per connection.",
                    (b, v) -> b.pipeliningLimit(integer(v))));

    private DataConfigKeys() { }

    /**
     * Applies {@code covet.data.*} from {@code covet.properties} and the environment, the environment
     * winning (the same layering as core's keys, through {@link ExternalConfig}).
     *
     * @throws IllegalArgumentException for a bad value, or an unknown {@code covet.data.*} key in the file
     */
    static void apply(Database.Builder b, Map<String, String> env) {
        ExternalConfig.load(env, Thread.currentThread().getContextClassLoader())
                .apply(b, ALL, name -> name.startsWith("covet.data."), "docs/data.md lists the valid ones");
    }

    static int integer(String v) {
        return ExternalConfig.parseInt(v);
    }

    static Duration duration(String v) {
        return ExternalConfig.parseDuration(v);
    }
}
