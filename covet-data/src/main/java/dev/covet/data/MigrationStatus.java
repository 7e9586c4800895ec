package dev.covet.data;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One migration as the files and the database's history see it ({@link Migrations#status(Database)}).
 *
 * @param version     {@code 1}, {@code 1.2}, ...; empty for a repeatable ({@code R__}) migration
 * @param description from the file name: {@code V2__add_index.sql} is {@code add index}
 * @param script      the file name (or, for a file that is gone, the name the history recorded)
 * @param state       where it stands
 * @param appliedAt   when the history says it was applied; empty when it was not, and in what
 *                    {@link Migrations#applyPending(Database)} returns (it was just now)
 * @param took        how long it ran; empty when it has not run
 */
public record MigrationStatus(String version, String description, String script, State state,
                              Optional<Instant> appliedAt, Optional<Duration> took) {

    /** Where a migration stands. */
    public enum State {
        /** In the history and its file unchanged. */
        APPLIED,
        /** A file not applied yet. */
        PENDING,
        /** Applied and failed (MariaDB and MySQL cannot roll DDL back): repair the schema by hand, then the history. */
        FAILED,
        /** In the history, but no file for it among the locations. */
        MISSING_FILE,
        /** Applied, but its file changed since (checksum mismatch): migrating refuses until it matches again. */
        CHANGED,
        /**
         * Applied, its file since removed, and marked deleted by {@link Migrations#repair(Database)}: migrating
         * passes it by.
         */
        DELETED
    }
}
