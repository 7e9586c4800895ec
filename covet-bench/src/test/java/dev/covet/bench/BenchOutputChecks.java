package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Sanity checks of a results directory that hold whatever was measured: files written, JSON
 * parses, counts add up, percentiles monotonic, no NaN. They assert no performance figure.
 */
final class BenchOutputChecks {
    private BenchOutputChecks() {
    }

    /**
     * Writes {@code targets.json} into {@code dir} with one target, {@code netty-undeclared}: the netty peer declaring no
     * scenarios, so that the harness starts it for every scenario and must find out itself what it lacks.
     */
    static Path undeclaredNettyTargetsFile(Path dir) throws java.io.IOException {
        Path targetsFile = dir.resolve("targets.json");
        Files.writeString(targetsFile, """
                {"targets": [{"name": "netty-undeclared", "mainClass": "dev.covet.peers.netty.NettyPeer",
                  "classpath": ["bench-peers/netty/target/classes", "bench-peers/netty/target/lib/*"], "probePath": "/plaintext"}]}
                """);
        return targetsFile;
    }

    static JsonNode checkResultsDir(Path dir) throws Exception {
        for (String f : List.of("results.json", "summary.md", "report.html")) {
            assertThat(dir.resolve(f)).as(f).isRegularFile();
            assertThat(Files.size(dir.resolve(f))).as(f + " is not empty").isPositive();
        }
        String text = Files.readString(dir.resolve("results.json"));
        // As JSON values only: the Base64 histograms may hold the letters "NaN" by chance (a run did).
        assertThat(text).as("no NaN or Infinity in results.json")
                .doesNotContainPattern("[:\\[,]\\s*\"?-?(NaN|Infinity)\"?\\s*[,\\]}\\n]");
        JsonNode root = Report.json().readTree(text);
        assertThat(root.get("schema").asString()).isEqualTo(Results.SCHEMA);
        assertThat(root.get("commandLine").isArray()).isTrue();
        assertThat(root.get("machine").get("cpuModel").asString()).isNotBlank();
        assertFinite(root, "$");

        boolean anyError = false;
        JsonNode runs = root.get("runs");
        assertThat(runs.size()).as("at least one run").isPositive();
        for (JsonNode run : runs) {
            String where = "run " + run.get("sequence").asInt() + " (" + run.get("scenario").asString() + "/" + run.get("target").asString() + ")";
            boolean runErrors = run.get("errors").asBoolean();
            anyError |= runErrors;
            String outcome = run.get("outcome").asString();
            if (outcome.equals(RunResult.NOT_IMPLEMENTED)) {
                assertThat(runErrors).as(where + ": a scenario the target does not serve is no error").isFalse();
                assertThat(run.get("measure").isNull()).as(where + ": nothing measured").isTrue();
                if (run.get("sequence").asInt() == 0) {
                    assertThat(run.get("notes").toString()).as(where + ": not run, says what the target declares")
                            .contains("does not implement scenario");
                } else {
                    assertThat(run.get("notes").toString()).as(where + ": started, says what the endpoint probe got")
                            .containsAnyOf("WebSocket upgrade", "POST " + LoginIsolation.PATH);
                }
                continue;
            }
            assertThat(outcome).isIn("ok", "errors", "failed");
            assertThat(outcome.equals("ok")).as(where + " outcome ok iff no errors").isEqualTo(!runErrors);
            JsonNode measure = run.get("measure");
            if (measure.isNull()) {
                assertThat(run.get("failure").isNull()).as(where + ": a run without measurement says why").isFalse();
                continue;
            }
            checkPhase(measure, where + " measure");
            if (measure.get("errorCount").asLong() > 0) {
                assertThat(runErrors).as(where + ": errors in the window flag the run").isTrue();
            }
            JsonNode warm = run.get("warmup").get("phase");
            if (!warm.isNull()) {
                checkPhase(warm, where + " warmup");
                if (warm.get("errorCount").asLong() > 0) {
                    assertThat(run.get("warmup").get("errors").asBoolean()).isTrue();
                    assertThat(runErrors).isTrue();
                }
            }
            JsonNode ready = run.get("warmup").get("readiness");
            assertThat(ready.get("ready").asBoolean()).isTrue();
            assertThat(ready.get("timeToFirstResponseMs").asDouble()).isPositive();
            assertThat(ready.get("attempts").asInt()).isGreaterThanOrEqualTo(1 + ready.get("refused").asInt());
            JsonNode server = run.get("server");
            assertThat(server.get("cpuSeconds").isNull() || server.get("cpuSeconds").asDouble() >= 0).isTrue();
            if (server.get("requestsPerCpuSecond").isNull()) {
                assertThat(server.get("cpuUnavailable").asString()).as(where + ": missing CPU figure has a reason").isNotBlank();
            }
            if (server.get("allocatedBytesPerRequest").isNull()) {
                assertThat(server.get("jvmUnavailable").asString()).as(where + ": missing allocation figure has a reason").isNotBlank();
            }
        }
        assertThat(root.get("errors").asBoolean()).as("session errors flag = any run's errors").isEqualTo(anyError);
        String md = Files.readString(dir.resolve("summary.md"));
        assertThat(md).contains(anyError ? "ERRORS" : "Errors: none");
        for (JsonNode run : runs) {
            assertThat(md).contains(run.get("target").asString());
        }
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<svg").doesNotContainIgnoringCase("<script").doesNotContain("src=\"http").doesNotContain("href=\"http");
        return root;
    }

    static void checkPhase(JsonNode p, String where) {
        long requests = p.get("requests").asLong();
        long successes = p.get("successes").asLong();
        long errorCount = p.get("errorCount").asLong();
        assertThat(successes + errorCount).as(where + ": successes + errors = requests").isEqualTo(requests);
        long sum = 0;
        for (Map.Entry<String, JsonNode> e : p.get("errors").properties()) {
            sum += e.getValue().asLong();
        }
        assertThat(sum).as(where + ": errors by kind add up").isEqualTo(errorCount);
        assertThat(requests).as(where + ": requests = sent + failed connects")
                .isEqualTo(p.get("sent").asLong() + p.get("errors").get("connect").asLong());
        assertThat(p.get("errorsFlag").asBoolean()).as(where + ": flag").isEqualTo(errorCount > 0
                || p.get("unsolicitedResponses").asLong() > 0 || p.get("clampedLatencies").asLong() > 0);
        JsonNode lat = p.get("latency");
        assertThat(lat.get("count").asLong()).as(where + ": every request is in the histogram").isEqualTo(requests);
        if (requests > 0) {
            List<Long> ps = new ArrayList<>();
            for (String k : List.of("minUs", "p50Us", "p90Us", "p99Us", "p999Us", "maxUs")) {
                ps.add(lat.get(k).asLong());
            }
            assertThat(ps).as(where + ": percentiles monotonic").isSorted();
            List<Long> curve = new ArrayList<>();
            lat.get("curve").forEach(pt -> curve.add(pt.get("us").asLong()));
            assertThat(curve).as(where + ": curve monotonic").isSorted();
            assertThat(LatencySummary.decode(lat.get("histogram").asString()).getTotalCount()).isEqualTo(requests);
        }
        assertThat(p.get("seconds").asDouble()).isPositive();
    }

    private static void assertFinite(JsonNode n, String path) {
        if (n.isNumber()) {
            assertThat(Double.isFinite(n.asDouble())).as(path + " is finite").isTrue();
        }
        if (n.isString()) {
            assertThat(n.asString()).as(path).isNotIn("NaN", "Infinity", "-Infinity");
        }
        if (n.isContainer()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.isObject() ? n.properties().iterator() : null;
            if (it != null) {
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    assertFinite(e.getValue(), path + "." + e.getKey());
                }
            } else {
                int i = 0;
                for (JsonNode c : n) {
                    assertFinite(c, path + "[" + i++ + "]");
                }
            }
        }
    }
}
