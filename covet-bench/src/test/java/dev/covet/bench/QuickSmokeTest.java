package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * Runs {@code bench --quick} against whatever targets are built (covet and netty, normally built
 * earlier in the same reactor) and checks that its output is sane. It asserts no performance
 * figure. If no target is built it fails, saying so: a smoke test that measured nothing must not
 * pass. To point it at other targets: {@code -Dcovet.bench.targetsFile=FILE -Dcovet.bench.targets=a,b}.
 */
class QuickSmokeTest {

    @Test
    void quickRunProducesSaneOutput(@TempDir Path out) throws Exception {
        List<String> args = new ArrayList<>(List.of("--quick", "--out", out.toString()));
        String file = System.getProperty("covet.bench.targetsFile");
        String targets = System.getProperty("covet.bench.targets");
        if (file != null && !file.isBlank()) {
            args.addAll(List.of("--targets-file", file));
        }
        if (targets != null && !targets.isBlank()) {
            args.addAll(List.of("--targets", targets, "--baseline", targets.split(",")[0]));
        }
        BenchCommand bench = new BenchCommand();
        long t0 = System.nanoTime();
        int code = new CommandLine(bench).execute(args.toArray(String[]::new));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (code == 2) {
            fail("bench --quick measured nothing: " + bench.problem());
        }
        assertThat(took).as("--quick stays well under two minutes").isLessThan(Duration.ofMinutes(2));
        JsonNode root = BenchOutputChecks.checkResultsDir(bench.resultsDir());
        assertThat(code).as("exit status 1 exactly when errors were flagged").isEqualTo(root.get("errors").asBoolean() ? 1 : 0);
        assertThat(root.get("settings").get("quick").asBoolean()).isTrue();
        assertThat(root.get("settings").get("repeats").asInt()).isEqualTo(1);
        assertThat(root.get("summary").get("scenarios").size()).isEqualTo(3);
    }
}
