package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * The {@code db} scenario through the whole harness against Covet's demo on the machine's real
 * PostgreSQL: the harness creates and seeds a database of its own (dropped afterwards), hands it to
 * the demo, and checks every answer. A second target that declares only {@code plaintext} must come
 * out as "not implemented", neither run nor counted as an error. Asserts no performance figure.
 */
class DatabaseScenarioSmokeTest {
    private static final BenchDatabase.Location DB = BenchDatabase.Location.parse(
            "postgresql://postgres@127.0.0.1:5432/covet_bench_smoke_" + ProcessHandle.current().pid(), BenchDatabase.Dataset.STANDARD);

    @AfterAll
    static void dropDatabase() throws Exception {
        BenchDatabase.drop(DB);
    }

    @Test
    void dbScenarioRunsAgainstTheDemoOnPostgresqlAndAPeerWithoutItIsNotImplemented(@TempDir Path dir) throws Exception {
        Path targets = dir.resolve("targets.json");
        Files.writeString(targets, "{\"targets\": [{\"name\": \"plain-only\", \"command\": [\"false\"], \"scenarios\": [\"plaintext\"]}]}");
        BenchCommand bench = new BenchCommand();
        long t0 = System.nanoTime();
        int code = new CommandLine(bench).execute("--targets", "covet,covet-nonblocking,plain-only", "--targets-file", targets.toString(), "--scenarios",
                "db", "--repeats", "1", "--warmup", "0s", "--duration", "1s", "--connections", "8", "--baseline", "covet",
                "--database", DB.covetUrl(), "--out", dir.toString());
        if (code == 2) {
            fail("the db scenario measured nothing: " + bench.problem());
        }
        JsonNode root = BenchOutputChecks.checkResultsDir(bench.resultsDir());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));

        JsonNode covet = run(root, "covet");
        assertThat(covet.get("outcome").asString()).as(covet.toString()).isEqualTo("ok");
        assertThat(covet.get("measure").get("successes").asLong()).isPositive();
        assertThat(covet.get("measure").get("errorCount").asLong()).isZero();
        assertThat(covet.get("notes").toString()).as("the demo's backends were moved off the server's CPU")
                .containsPattern("pinned [1-9][0-9]* PostgreSQL backend\\(s\\) of " + DB.database() + " to CPU 0");
        assertThat(covet.get("contention").get("clientCpusByDatabase").isNumber())
                .as("the pinned backends' CPU is counted as the database's, apart from other processes").isTrue();
        JsonNode nonBlocking = run(root, "covet-nonblocking"); // the same endpoints through ctx.future and db.async()
        assertThat(nonBlocking.get("outcome").asString()).as(nonBlocking.toString()).isEqualTo("ok");
        assertThat(nonBlocking.get("measure").get("successes").asLong()).isPositive();
        assertThat(nonBlocking.get("measure").get("errorCount").asLong()).isZero();
        assertThat(run(root, "plain-only").get("outcome").asString()).isEqualTo(RunResult.NOT_IMPLEMENTED);
        assertThat(root.get("summary").get("scenarios").get(0).get("notImplemented").get(0).asString()).isEqualTo("plain-only");
        assertThat(root.get("errors").asBoolean()).isFalse();
        assertThat(code).isZero();
        assertThat(root.get("settings").get("database").asString()).contains(DB.covetUrl()).contains("10,000");
        assertThat(Files.readString(bench.resultsDir().resolve("summary.md"))).contains("Not implemented").contains("`plain-only`")
                .contains("- Database: PostgreSQL").contains("pinned to CPU 0 while a target runs");
        assertThat(Files.readString(bench.resultsDir().resolve("report.html"))).contains("Not implemented").contains("Database: PostgreSQL");

        try (Connection c = DriverManager.getConnection(DB.jdbc(DB.database()), DB.user(), "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), min(id), max(id) FROM world")) {
            r.next();
            assertThat(new long[] {r.getLong(1), r.getLong(2), r.getLong(3)}).containsExactly(10_000, 1, 10_000);
        }
        BenchDatabase.Prepared again = BenchDatabase.prepare(DB, BenchDatabase.Dataset.STANDARD);
        assertThat(again.actions()).as("a second session reuses what the first seeded").allMatch(a -> a.startsWith("reused"));
    }

    private static JsonNode run(JsonNode root, String target) {
        for (JsonNode r : root.get("runs")) {
            if (r.get("target").asString().equals(target)) {
                return r;
            }
        }
        throw new AssertionError("no run of " + target);
    }
}
