package dev.covet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Moves the PostgreSQL backends that serve a target off the server's CPUs ({@code --database-cpus},
 * by default the load generator's).
 *
 * <p>Why: PostgreSQL forks one backend process per connection, and the scheduler puts those wherever
 * it likes, the server's pinned core included. There they take 15-30% of the core the server is
 * measured on, a share that varies from run to run, and a database round trip then waits for the
 * server's own threads to yield. Every target gets the same treatment.
 *
 * <p>Only the backends connected to the benchmark's own database are moved (they exist for the
 * target's connections and end with them); PostgreSQL's shared processes (postmaster, WAL writer,
 * checkpointer) are left where they are. A database on another host is not touched. What was done is
 * returned in words for the run's notes, never silently skipped.
 */
final class DatabasePinning {
    private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    private final BenchDatabase.Location database;
    private final String cpus;

    /**
     * @param database the benchmark's database
     * @param cpus     a CPU list for {@code taskset}, or {@link CpuPinning#NONE}
     */
    DatabasePinning(BenchDatabase.Location database, String cpus) {
        this.database = database;
        this.cpus = CpuPinning.validate(cpus);
    }

    String cpus() {
        return cpus;
    }

    /** How the backends are placed, for the start of a session. */
    String describe() {
        if (cpus.equals(CpuPinning.NONE)) {
            return "PostgreSQL backends not pinned (--database-cpus none): they may run on the server's CPUs";
        }
        if (!LOCAL_HOSTS.contains(database.host())) {
            return "PostgreSQL on " + database.host() + ": its backends are not on this machine, not pinned";
        }
        return "PostgreSQL backends of " + database.database() + " pinned to CPU " + cpus + " while a target runs (--database-cpus)";
    }

    /**
     * What {@link #pin} did.
     *
     * @param description e.g. "pinned 4 PostgreSQL backend(s) of covet_bench_world_10k to CPU 0"
     * @param pids        the backends now on the database CPUs, whose CPU time is the database's, not "others"
     */
    record Pinned(String description, List<Long> pids) { }

    /**
     * Pins every backend now connected to the database. Call it again when the target may have opened more
     * connections (after the warm-up).
     *
     * @return what happened; null when pinning is off or the database is remote ({@link #describe} says so once)
     */
    Pinned pin() {
        if (cpus.equals(CpuPinning.NONE) || !LOCAL_HOSTS.contains(database.host())) {
            return null;
        }
        List<Long> pids;
        try {
            pids = backends();
        } catch (SQLException e) {
            return new Pinned("could not list the PostgreSQL backends to pin them (" + e.getMessage()
                    + "): they may run on the server's CPUs", List.of());
        }
        List<Long> pinned = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (long pid : pids) {
            String failure = taskset(pid);
            if (failure == null) {
                pinned.add(pid);
            } else if (ProcessHandle.of(pid).isPresent()) { // a backend that ended meanwhile needs no pinning
                failures.add(pid + ": " + failure);
            }
        }
        String done = String.format(Locale.ROOT, "pinned %d PostgreSQL backend(s) of %s to CPU %s", pinned.size(),
                database.database(), cpus);
        return new Pinned(failures.isEmpty() ? done : done + "; could NOT pin " + failures.size() + ": "
                + String.join("; ", failures), List.copyOf(pinned));
    }

    /** The PIDs of the client backends connected to the database, other than the one asking. */
    private List<Long> backends() throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbc(database.database()), database.user(), "");
             PreparedStatement s = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ?"
                     + " AND backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            s.setString(1, database.database());
            List<Long> pids = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    pids.add(r.getLong(1));
                }
            }
            return pids;
        }
    }

    /** {@code taskset -p -c cpus pid}; null if it worked, else why not. */
    private String taskset(long pid) {
        try {
            Process p = new ProcessBuilder("taskset", "-p", "-c", cpus, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "taskset did not finish in 5 s";
            }
            return p.exitValue() == 0 ? null : out;
        } catch (IOException e) {
            return "taskset failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
