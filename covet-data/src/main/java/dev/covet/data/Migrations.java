package dev.covet.data;

import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Versioned SQL migrations with Flyway: files named {@code V1__create_world.sql}, {@code V2__...}, under
 * {@code db/migration} on the classpath by default. A location may contain {@code {vendor}}, replaced by
 * {@code sqlite}, {@code postgresql}, {@code mariadb} or {@code mysql}, for SQL that differs per database.
 *
 * <p>Several instances starting at once are safe: Flyway takes a lock in the database (an advisory
 * lock on PostgreSQL, {@code GET_LOCK} on MariaDB and MySQL; SQLite has one writer) so each migration is applied
 * exactly once, and the others wait, then find nothing left to do.
 */
public final class Migrations {
    public static final String DEFAULT_LOCATION = "classpath:db/migration";

    private final List<String> locations;

    private Migrations(List<String> locations) {
        this.locations = List.copyOf(locations);
    }

    /**
     * Applies the pending migrations from {@code classpath:db/migration}.
     *
     * @return the number of migrations applied
     * @throws DataAccessException if a migration fails (Flyway rolls it back where the database allows)
     */
    public static int run(Database db) {
        return locations(DEFAULT_LOCATION).migrate(db);
    }

    /**
     * Migrations from these locations: {@code classpath:some/dir} or {@code filesystem:/path/to/dir}; a
     * plain path is taken as a directory.
     */
    public static Migrations locations(String... locations) {
        List<String> list = new ArrayList<>();
        for (String l : locations) {
            list.add(l.startsWith("classpath:") || l.startsWith("filesystem:") ? l : "filesystem:" + l);
        }
        return new Migrations(list);
    }

    /**
     * Applies the pending migrations.
     *
     * @return the number of migrations applied
     * @throws DataAccessException if a migration fails or the history does not match the files
     */
    public int migrate(Database db) {
        String vendor = switch (db.dialect()) {
            case SQLITE -> "sqlite";
            case POSTGRESQL -> "postgresql";
            case MARIADB -> "mariadb";
            case MYSQL -> "mysql";
        };
        String[] resolved = locations.stream().map(l -> l.replace("{vendor}", vendor)).toArray(String[]::new);
        try {
            MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(db.dataSource())
                    .locations(resolved)
                    .loggers("slf4j")
                    .load()
                    .migrate();
            return result.migrationsExecuted;
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw new DataAccessException("Migration failed: " + e.getMessage(), e);
        }
    }
}
