package dev.covet.data;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.RepairOutput;
import org.flywaydb.core.api.output.RepairResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned SQL migrations with Flyway: files named {@code V1__create_world.sql}, {@code V2__...}, under
 * {@code db/migration} on the classpath by default. A location may contain {@code {vendor}}, replaced by
 * {@code sqlite}, {@code postgresql}, {@code mariadb} or {@code mysql}, for SQL that differs per database.
 *
 * <p>Several instances starting at once are safe: Flyway takes a lock in the database (an advisory
 * lock on PostgreSQL, {@code GET_LOCK} on MariaDB and MySQL) so each migration is applied exactly once, and
 * the others wait, then find nothing left to do. SQLite has no such lock but one writer: a run that finds
 * the file busy with another's migration rolls back and tries again (within the acquisition timeout).
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
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
        return applyPending(db).size();
    }

    /**
     * Applies the pending migrations, like {@link #migrate(Database)}.
     *
     * @return the migrations this call applied, in the order it applied them (none if another instance
     *         applied them first)
     * @throws DataAccessException if a migration fails (its message names the file and carries the
     *         database's error) or the history does not match the files
     */
    public List<MigrationStatus> applyPending(Database db) {
        long deadline = System.nanoTime() + db.settings().acquisitionTimeout().toNanos();
        while (true) {
            try {
                List<MigrationStatus> applied = new ArrayList<>();
                for (MigrateOutput m : flyway(db).migrate().migrations) {
                    applied.add(new MigrationStatus(m.version == null ? "" : m.version, m.description,
                            fileName(m.filepath), MigrationStatus.State.APPLIED,
                            Optional.empty(), Optional.of(Duration.ofMillis(m.executionTime))));
                }
                return applied;
            } catch (FlywayException e) {
                if (!(db.dialect() == Dialect.SQLITE && isBusy(e)) || System.nanoTime() - deadline > 0) {
                    throw new DataAccessException("Migration failed: " + e.getMessage(), e);
                }
                // Another process is migrating the same SQLite file. Flyway has no lock there: it reads the
                // history, then writes, and WAL refuses the write at once (SQLITE_BUSY, no busy_timeout wait)
                // when someone else wrote in between. The migration was rolled back whole, so run again:
                // it finds what the other process applied and goes on from there.
                LOG.info("Migrating: the SQLite file is busy with another writer; trying again ({})", e.getMessage());
                sleepBriefly();
            }
        }
    }

    /** SQLITE_BUSY (5) and its extended codes, such as SQLITE_BUSY_SNAPSHOT (517). */
    private static boolean isBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() & 0xff) == 5) {
                return true;
            }
        }
        return false;
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(20, 100));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new DataAccessException("Interrupted while waiting to migrate", ie);
        }
    }

    /**
     * Every migration, applied or not, in the order Flyway applies them; reads the history and the files,
     * changes nothing (not even creating the history table).
     *
     * @throws DataAccessException if the history cannot be read
     */
    public List<MigrationStatus> status(Database db) {
        try {
            return Arrays.stream(flyway(db).info().all()).map(Migrations::status).toList();
        } catch (FlywayException e) {
            throw new DataAccessException("Cannot read the migration history: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the history match the files again, as Flyway's repair does: removes the entries of failed
     * migrations (MariaDB and MySQL keep them, since they cannot roll DDL back), realigns the checksum and
     * description of applied migrations whose file changed, and marks applied migrations whose file is gone as
     * deleted (the latest applied migrations are left alone: migrating already passes them by). It runs no
     * migration and changes no table but the history: what a failed migration did before it failed, and what an
     * edited file would now do differently, stay as they are in the database. Give it the locations
     * {@link #migrate} uses: an applied migration whose file it does not find is marked deleted.
     *
     * @return the migrations whose history entries it changed, each with the state it had: {@code FAILED}
     *         (entry removed), {@code CHANGED} (realigned with its file), {@code MISSING_FILE} (marked deleted,
     *         {@code DELETED} from then on); empty when the history already matched the files
     * @throws DataAccessException if the history cannot be read or written
     */
    public List<MigrationStatus> repair(Database db) {
        Flyway flyway = flyway(db);
        try {
            // the history as it was: repair's report leaves out the script of a migration whose file is gone
            Map<String, MigrationStatus> before = new HashMap<>();
            for (MigrationInfo info : flyway.info().all()) {
                MigrationStatus s = status(info);
                before.put(s.version().isEmpty() ? "R " + s.description() : s.version(), s);
            }
            RepairResult result = flyway.repair();
            List<MigrationStatus> repaired = new ArrayList<>();
            repaired(result.migrationsRemoved, MigrationStatus.State.FAILED, before, repaired);
            repaired(result.migrationsAligned, MigrationStatus.State.CHANGED, before, repaired);
            repaired(result.migrationsDeleted, MigrationStatus.State.MISSING_FILE, before, repaired);
            return repaired;
        } catch (FlywayException e) {
            throw new DataAccessException("Repair failed: " + e.getMessage(), e);
        }
    }

    /** Each migration repair reports, as the history had it, with the state that made repair change it. */
    private static void repaired(List<RepairOutput> outputs, MigrationStatus.State state,
                                 Map<String, MigrationStatus> before, List<MigrationStatus> into) {
        for (RepairOutput m : outputs == null ? List.<RepairOutput>of() : outputs) {
            String version = m.version == null ? "" : m.version;
            MigrationStatus was = before.get(version.isEmpty() ? "R " + m.description : version);
            into.add(was == null
                    ? new MigrationStatus(version, m.description, fileName(m.filepath), state, Optional.empty(),
                            Optional.empty())
                    : new MigrationStatus(was.version(), was.description(), was.script(), state, was.appliedAt(),
                            was.took()));
        }
    }

    /** The file name of a path Flyway reports (empty when it reports none, as for a file that is gone). */
    private static String fileName(String filepath) {
        return filepath == null || filepath.isEmpty() ? "" : Path.of(filepath).getFileName().toString();
    }

    private static MigrationStatus status(MigrationInfo info) {
        MigrationState s = info.getState();
        MigrationStatus.State state;
        if (s.isFailed()) {
            state = MigrationStatus.State.FAILED;
        } else if (s == MigrationState.DELETED) {
            state = MigrationStatus.State.DELETED;
        } else if (s.isApplied() && !s.isResolved()) {
            state = MigrationStatus.State.MISSING_FILE;
        } else if (s.isApplied()) {
            // a repeatable migration whose file changed (OUTDATED, and its earlier runs SUPERSEDED) runs again: no error
            boolean repeatable = s == MigrationState.OUTDATED || s == MigrationState.SUPERSEDED;
            state = info.isChecksumMatching() || repeatable ? MigrationStatus.State.APPLIED
                    : MigrationStatus.State.CHANGED;
        } else {
            state = MigrationStatus.State.PENDING;
        }
        return new MigrationStatus(info.getVersion() == null ? "" : info.getVersion().getVersion(),
                info.getDescription(), info.getScript(), state,
                Optional.ofNullable(info.getInstalledOn()).map(java.util.Date::toInstant),
                Optional.ofNullable(info.getExecutionTime()).map(Duration::ofMillis));
    }

    private Flyway flyway(Database db) {
        String vendor = db.dialect().vendor();
        String[] resolved = locations.stream().map(l -> l.replace("{vendor}", vendor)).toArray(String[]::new);
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(db.dataSource())
                .locations(resolved)
                .loggers("slf4j")
                .load();
    }
}
