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
 * The login-isolation scenario through the whole harness, small: 4 login connections, one wrong-password and one
 * unknown-account connection, a probe at 100/s, 1 s windows against Covet's demo (built earlier in the same reactor);
 * and against the netty peer, which has no login route: not started when it declares its scenarios, found by the
 * route probe when a targets file declares none. It asserts accounting and behaviour, never a performance figure.
 */
class LoginIsolationSmokeTest {

    @Test
    void theDemoLogsTheBenchAccountInWhileTheProbeRunsAndAPeerWithoutTheRouteIsNotImplemented(@TempDir Path out) throws Exception {
        Path targetsFile = BenchOutputChecks.undeclaredNettyTargetsFile(out);
        BenchCommand bench = new BenchCommand();
        int code = new CommandLine(bench).execute("--targets", "covet,netty,netty-undeclared", "--baseline", "covet", "--scenarios",
                LoginIsolation.NAME, "--repeats", "1", "--warmup", "0s", "--duration", "1s", "--out", out.toString(),
                "--targets-file", targetsFile.toString(), "--login-connections", "4", "--login-failure-connections", "1",
                "--probe-rate", "100", "--probe-connections", "4");
        if (code == 2) {
            fail("nothing measured: " + bench.problem());
        }
        JsonNode root = BenchOutputChecks.checkResultsDir(bench.resultsDir());
        assertThat(code).isEqualTo(root.get("errors").asBoolean() ? 1 : 0);
        assertThat(root.get("runs").size()).isEqualTo(3);
        for (JsonNode run : root.get("runs")) {
            String target = run.get("target").asString();
            if (!target.equals("covet")) {
                assertThat(run.get("outcome").asString()).as(target).isEqualTo(RunResult.NOT_IMPLEMENTED);
                assertThat(run.get("sequence").asInt() == 0).as(target + " started only if it declares nothing")
                        .isEqualTo(target.equals("netty"));
                continue;
            }
            JsonNode logins = run.get("measure");
            assertThat(logins.get("successes").asLong()).as("the bench account's valid logins get tokens").isPositive();
            JsonNode login = run.get("login");
            for (String phase : List.of("probeAlone", "probeUnderLogins", "wrongPassword", "unknownAccount")) {
                BenchOutputChecks.checkPhase(login.get(phase), "login " + phase);
            }
            for (String phase : List.of("wrongPassword", "unknownAccount")) {
                JsonNode p = login.get(phase);
                assertThat(p.get("requests").asLong()).as(phase + " attempted").isPositive();
                assertThat(p.get("successes").asLong()).as(phase + " answered the expected 401 problem " + p.get("errorSamples"))
                        .isEqualTo(p.get("requests").asLong());
            }
            for (JsonNode p : List.of(logins, login.get("wrongPassword"), login.get("unknownAccount"))) {
                assertThat(p.get("failedStatuses").has("429")).as("the raised limit lets the flood through: " + p.get("failedStatuses"))
                        .isFalse();
            }
            JsonNode alone = login.get("probeAlone");
            assertThat(alone.get("requests").asLong() + alone.get("unsent").asLong()).as("100/s × 1 s due").isBetween(95L, 100L);
            assertThat(alone.get("mode").asString()).isEqualTo("fixed-rate");
            assertThat(login.get("probeUnderLogins").get("mode").asString()).isEqualTo("fixed-rate");
            assertThat(logins.get("mode").asString()).isEqualTo("closed-loop");
            assertThat(login.get("probeP99Ratio").isNumber() || login.get("probeUnderLogins").get("requests").asLong() == 0).isTrue();
            assertThat(login.get("loginLimit").asLong()).isEqualTo(LoginIsolation.LIMIT);
        }
        assertThat(Files.readString(bench.resultsDir().resolve("summary.md"))).contains("## Login isolation").contains("× alone")
                .contains("the target answers 404 to POST " + LoginIsolation.PATH);
        assertThat(Files.readString(bench.resultsDir().resolve("report.html"))).contains("<h2>Login isolation</h2>")
                .contains("+ logins");
    }
}
