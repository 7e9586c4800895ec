package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * The four connection scenarios through the whole harness, small: 200 keep-alive connections,
 * 8 WebSockets echoing, a room of 20, 50 idle WebSockets, each for 2 s against Covet's demo (built
 * earlier in the same reactor), and the WebSocket scenarios against the netty peer, which has no
 * WebSocket endpoint and must come out as "not implemented", not as an error: not started when it
 * declares its scenarios (the built-in netty), found by the upgrade probe when it declares none. It asserts
 * accounting, never a performance figure. The big runs are opt-in commands (docs/benchmarking.md).
 */
class ConnectionScenariosSmokeTest {

    private static int run(BenchCommand bench, Path out, String targets, String scenarios, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--targets", targets, "--baseline", targets.split(",")[0], "--scenarios",
                scenarios, "--repeats", "1", "--warmup", "0s", "--duration", "2s", "--out", out.toString(), "--scale-connections", "200",
                "--scale-interval", "1s", "--source-addresses", "2", "--ws-connections", "8", "--ws-rate", "200", "--room-size", "20",
                "--broadcast-rate", "20", "--idle-websockets", "50"));
        args.addAll(List.of(more));
        return new CommandLine(bench).execute(args.toArray(String[]::new));
    }

    @Test
    void eachConnectionScenarioOpensEveryConnectionAndAccountsForIt(@TempDir Path out) throws Exception {
        BenchCommand bench = new BenchCommand();
        int code = run(bench, out, "covet", "connections,ws-echo,ws-broadcast,ws-idle");
        if (code == 2) {
            fail("nothing measured: " + bench.problem());
        }
        JsonNode root = BenchOutputChecks.checkResultsDir(bench.resultsDir());
        assertThat(code).isEqualTo(root.get("errors").asBoolean() ? 1 : 0);
        assertThat(Files.readString(bench.resultsDir().resolve("summary.md"))).contains("## Connections");
        for (JsonNode run : root.get("runs")) {
            String scenario = run.get("scenario").asString();
            JsonNode c = run.get("connections");
            int asked = switch (scenario) {
                case "connections" -> 200;
                case "ws-echo" -> 8;
                case "ws-broadcast" -> 21;
                case "ws-idle" -> 50;
                default -> throw new AssertionError(scenario);
            };
            assertThat(c.get("asked").asInt()).as(scenario).isEqualTo(asked);
            assertThat(c.get("ramp").get("established").asInt()).as(scenario + " " + c.get("ramp")).isEqualTo(asked);
            assertThat(c.get("failedConnections").asLong()).as(scenario).isZero();
            assertThat(c.get("openAtEnd").asInt()).as(scenario).isEqualTo(asked);
            assertThat(c.get("sourceAddresses").size()).isEqualTo(2);
            JsonNode measure = run.get("measure");
            assertThat(measure.get("successes").asLong() + measure.get("errorCount").asLong()).isEqualTo(measure.get("requests").asLong());
            if (List.of("connections", "ws-idle").contains(scenario)) {
                assertThat(c.get("before").get("heapUsedBytes").isNumber()).as(scenario + ": heap read over JMX").isTrue();
                assertThat(c.get("heapPerConnectionBytes").isNumber()).as(scenario).isTrue();
                assertThat(c.get("rssPerConnectionBytes").isNumber()).as(scenario).isTrue();
                assertThat(c.get("plateau").get("openFds").asLong() - c.get("before").get("openFds").asLong())
                        .as(scenario + ": the target holds one descriptor per connection").isGreaterThanOrEqualTo(asked);
            }
            if (scenario.equals("connections")) {
                assertThat(measure.get("requests").asLong() + measure.get("unsent").asLong()).as("200 connections × 1/s × 2 s")
                        .isBetween(390L, 400L);
            }
            if (scenario.equals("ws-broadcast")) {
                JsonNode d = c.get("deliveries");
                assertThat(d.get("receivers").asInt()).isEqualTo(20);
                assertThat(measure.get("errorCount").asLong()).as("no broadcast lost or late").isZero();
                assertThat(d.get("deliveries").asLong()).as("every message reached every receiver")
                        .isEqualTo(measure.get("successes").asLong() * 20);
            }
        }
    }

    @Test
    void aTargetWithoutWebSocketsIsNotImplementedRatherThanFailed(@TempDir Path out) throws Exception {
        // netty declares its scenarios (no ws-*): not started. The same peer from a targets file that declares none is started,
        // answers 404 to the upgrade, and is not implemented all the same.
        Path targetsFile = BenchOutputChecks.undeclaredNettyTargetsFile(out);
        BenchCommand bench = new BenchCommand();
        int code = run(bench, out, "netty,netty-undeclared", "ws-echo,ws-idle", "--targets-file", targetsFile.toString());
        if (code == 2) {
            fail("nothing measured: " + bench.problem());
        }
        JsonNode root = BenchOutputChecks.checkResultsDir(bench.resultsDir());
        assertThat(code).as("not implemented is no error").isZero();
        assertThat(root.get("runs").size()).isEqualTo(4);
        for (JsonNode run : root.get("runs")) {
            assertThat(run.get("outcome").asString()).isEqualTo(RunResult.NOT_IMPLEMENTED);
            assertThat(run.get("errors").asBoolean()).isFalse();
            boolean declared = run.get("target").asString().equals("netty");
            assertThat(run.get("sequence").asInt() == 0).as(run.get("target") + " started only if it declares nothing").isEqualTo(declared);
        }
        for (JsonNode s : root.get("summary").get("scenarios")) {
            assertThat(s.get("notImplemented").toString()).contains("\"netty\"").contains("\"netty-undeclared\"");
            assertThat(s.get("ranking").size()).isZero();
        }
        assertThat(Files.readString(bench.resultsDir().resolve("summary.md"))).contains("Not implemented")
                .contains("the target answers 404 to a WebSocket upgrade");
    }
}
