package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** Faults in a target process, seen through the whole harness: process, probe, load, reports. */
class HarnessFaultTest {

    /** A targets file whose "fault" target is {@link RawNettyServer} from this test's classpath. */
    static Path targetsFile(Path dir, String env) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.stream(cp.split(java.io.File.pathSeparator)).filter(e -> !e.isBlank()).toList();
        String json = "{\"targets\": [{\"name\": \"fault\", \"mainClass\": \"" + RawNettyServer.class.getName() + "\", \"probePath\": \"/ready\","
                + " \"classpath\": " + Report.json().writeValueAsString(entries) + ", \"env\": " + env + "}]}";
        Path f = dir.resolve("targets.json");
        Files.writeString(f, json);
        return f;
    }

    static BenchCommand run(Path dir, String env, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--targets-file", targetsFile(dir, env).toString(), "--targets", "fault",
                "--baseline", "fault", "--scenarios", "plaintext", "--repeats", "1", "--connections", "4", "--pipeline", "2",
                "--server-cpus", "none", "--client-cpus", "none", "--out", dir.resolve("out").toString(), "--root", dir.toString()));
        args.addAll(List.of(extra));
        BenchCommand bench = new BenchCommand();
        int code = new CommandLine(bench).execute(args.toArray(String[]::new));
        assertThat(code).as("completed, with errors: " + bench.problem()).isEqualTo(1);
        return bench;
    }

    @Test
    void everyTenthRequestAnswered500IsReportedAsExactlyThatManyNon2xx(@TempDir Path dir) throws Exception {
        BenchCommand bench = run(dir, "{\"FAULT_EVERY\": \"10\"}", "--warmup", "1s", "--duration", "2s");
        JsonNode root = BenchOutputChecks.checkResultsDir(bench.resultsDir());
        JsonNode r = root.get("runs").get(0);
        JsonNode warm = r.get("warmup").get("phase");
        JsonNode measure = r.get("measure");

        String log = Files.readString(bench.resultsDir().resolve(r.get("logFile").asString()));
        Matcher m = Pattern.compile("plaintext=(\\d+) failures=(\\d+)").matcher(log);
        assertThat(m.find()).as("the server printed its counts on SIGTERM:\n" + log).isTrue();
        long served = Long.parseLong(m.group(1));
        long failed = Long.parseLong(m.group(2));

        assertThat(failed).isPositive().isEqualTo(served / 10);
        assertThat(warm.get("errors").get("non-2xx").asLong() + measure.get("errors").get("non-2xx").asLong())
                .as("non-2xx in the report = 500s the server sent").isEqualTo(failed);
        assertThat(warm.get("requests").asLong() + measure.get("requests").asLong()).as("requests = requests served").isEqualTo(served);
        assertThat(measure.get("errorCount").asLong()).as("only non-2xx").isEqualTo(measure.get("errors").get("non-2xx").asLong());
        assertThat(measure.get("latency").get("count").asLong()).as("failures are in the latency histogram")
                .isEqualTo(measure.get("successes").asLong() + measure.get("errorCount").asLong());
        assertThat(r.get("errors").asBoolean()).isTrue();
        assertThat(r.get("warmup").get("errors").asBoolean()).as("warm-up errors are flagged too").isTrue();
        assertThat(root.get("errors").asBoolean()).isTrue();
        assertThat(r.get("exitCode").asInt()).isEqualTo(143);
        assertThat(r.get("stoppedWith").asString()).isEqualTo("SIGTERM");
        assertThat(r.get("transportLine").asString()).contains("transport=");
        assertThat(Files.readString(bench.resultsDir().resolve("summary.md"))).contains("non-2xx " + measure.get("errors").get("non-2xx").asLong());
    }

    @Test
    void aTargetThatDiesMidRunLeavesErrorsInTheResultAndTheSessionEndsOnTime(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        BenchCommand bench = run(dir, "{\"DIE_AFTER_MS\": \"800\"}", "--warmup", "0s", "--duration", "3s", "--timeout", "1s");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).as("start + 3 s window + 1 s timeout, with slack").isLessThan(Duration.ofSeconds(45));

        JsonNode root = BenchOutputChecks.checkResultsDir(bench.resultsDir());
        JsonNode r = root.get("runs").get(0);
        JsonNode measure = r.get("measure");
        assertThat(measure.get("successes").asLong()).isPositive();
        long resets = measure.get("errors").get("reset").asLong();
        long connects = measure.get("errors").get("connect").asLong();
        assertThat(resets + connects).as("the death is in the result: " + measure.get("errors")).isPositive();
        assertThat(connects).as("reconnects were attempted and refused").isPositive();
        assertThat(measure.get("reconnects").asLong()).isPositive();
        assertThat(r.get("errors").asBoolean()).isTrue();
        assertThat(r.get("stoppedWith").asString()).isEqualTo("exited by itself");
        assertThat(r.get("exitCode").asInt()).isEqualTo(3);
        assertThat(r.get("server").get("requestsPerCpuSecond").isNull()).as("no CPU figure for a process that is gone").isTrue();
        assertThat(r.get("server").get("cpuUnavailable").asString()).contains("/proc");
        assertThat(r.get("notes").toString()).contains("exited by itself");
    }

    @Test
    void whenAttachIsRefusedAllocationIsUnavailableWithAReasonNotZero(@TempDir Path dir) throws Exception {
        List<String> args = List.of("--targets-file", targetsFile(dir, "{}").toString(), "--targets", "fault", "--baseline", "fault",
                "--scenarios", "json", "--repeats", "1", "--connections", "2", "--warmup", "500ms", "--duration", "1s",
                "--server-cpus", "none", "--client-cpus", "none", "--jvm-args", "-Xmx256m -XX:+DisableAttachMechanism",
                "--out", dir.resolve("out").toString(), "--root", dir.toString());
        BenchCommand bench = new BenchCommand();
        int code = new CommandLine(bench).execute(args.toArray(String[]::new));
        assertThat(code).as("no request error: " + bench.problem()).isZero();
        JsonNode r = BenchOutputChecks.checkResultsDir(bench.resultsDir()).get("runs").get(0);
        assertThat(r.get("jvmUnavailable").asString()).as("the reason is kept").contains("attach");
        JsonNode server = r.get("server");
        assertThat(server.get("allocatedBytesPerRequest").isNull()).as("no made-up zero").isTrue();
        assertThat(server.get("gcCount").isNull()).isTrue();
        assertThat(server.get("jvmUnavailable").asString()).contains("attach");
        assertThat(server.get("requestsPerCpuSecond").isNull()).as("/proc still gives the CPU figure").isFalse();
        assertThat(Files.readString(bench.resultsDir().resolve("summary.md"))).contains("allocation/GC: attach");
    }
}
