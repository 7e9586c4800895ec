package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DatabasePinning} against the machine's PostgreSQL: a backend connected to the benchmark's
 * database ends up allowed on the asked CPU only, as the kernel reports it; a backend of another
 * database is left alone. The database is the test's own, dropped afterwards, and the backends end
 * with their connections, so nothing stays pinned.
 */
class DatabasePinningTest {
    private static final BenchDatabase.Location DB = BenchDatabase.Location.parse(
            "postgresql://postgres@127.0.0.1:5432/covet_bench_pin_" + ProcessHandle.current().pid(), BenchDatabase.Dataset.STANDARD);

    @BeforeAll
    static void createDatabase() throws Exception {
        try (Connection admin = DriverManager.getConnection(DB.jdbc("postgres"), DB.user(), "");
             Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + DB.database());
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        BenchDatabase.drop(DB);
    }

    @Test
    void theBenchmarkDatabasesBackendsRunOnTheAskedCpuAndOthersAreLeftAlone() throws Exception {
        try (Connection target = DriverManager.getConnection(DB.jdbc(DB.database()), DB.user(), "");
             Connection other = DriverManager.getConnection(DB.jdbc("postgres"), DB.user(), "")) {
            long targetBackend = backendPid(target);
            long otherBackend = backendPid(other);
            String otherBefore = allowedCpus(otherBackend);

            DatabasePinning.Pinned done = new DatabasePinning(DB, "0").pin();

            assertThat(done.description()).isEqualTo("pinned 1 PostgreSQL backend(s) of " + DB.database() + " to CPU 0");
            assertThat(done.pids()).containsExactly(targetBackend);
            assertThat(allowedCpus(targetBackend)).isEqualTo("0");
            assertThat(allowedCpus(otherBackend)).isEqualTo(otherBefore);
        }
    }

    @Test
    void noneAndRemoteDatabasesAreNotTouchedAndSaySo() {
        assertThat(new DatabasePinning(DB, CpuPinning.NONE).pin()).isNull();
        assertThat(new DatabasePinning(DB, CpuPinning.NONE).describe()).contains("not pinned");
        BenchDatabase.Location remote = BenchDatabase.Location.parse("postgresql://postgres@db.example:5432/x", BenchDatabase.Dataset.STANDARD);
        assertThat(new DatabasePinning(remote, "0").pin()).isNull();
        assertThat(new DatabasePinning(remote, "0").describe()).contains("db.example").contains("not pinned");
    }

    private static long backendPid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String allowedCpus(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:"))
                .map(l -> l.substring("Cpus_allowed_list:".length()).trim())
                .findFirst().orElseThrow();
    }
}
