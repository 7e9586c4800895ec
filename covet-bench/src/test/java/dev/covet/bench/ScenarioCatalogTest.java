package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The catalog is the one place that knows scenario names: the request scenarios and the connection
 * ones alike; and the built-in targets declare which of them they serve.
 */
class ScenarioCatalogTest {
    private static final ScenarioCatalog.Fixtures NO_FIXTURES = new ScenarioCatalog.Fixtures(null, null);
    private static final List<String> CONNECTION = List.of("connections", "ws-echo", "ws-broadcast", "ws-idle");

    @Test
    void everyScenarioIsNamedDescribedAndBuiltByTheCatalog() {
        assertThat(ScenarioCatalog.names()).containsExactly("plaintext", "json", "echo", "db", "queries", "fortunes", "updates",
                "cached-queries", "json-list", "validated", "validated-invalid", "jwt", "jwt-none", "connections", "ws-echo", "ws-broadcast", "ws-idle",
                "login-isolation");
        for (String name : ScenarioCatalog.names()) {
            assertThat(ScenarioCatalog.description(name)).as(name).isNotBlank();
            assertThat(ScenarioCatalog.isConnectionScenario(name)).as(name).isEqualTo(CONNECTION.contains(name));
        }
        for (String name : CONNECTION) {
            Scenario s = ScenarioCatalog.build(name, NO_FIXTURES);
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.description()).isEqualTo(ScenarioCatalog.description(name));
            assertThat(Workload.of(s)).as(name).isNotEqualTo(Workload.REQUESTS);
        }
        assertThat(Workload.of(ScenarioCatalog.build("ws-broadcast", NO_FIXTURES))).isEqualTo(Workload.WS_BROADCAST);
        assertThat(ScenarioCatalog.description("ws-nothing")).isNull();
    }

    @Test
    void connectionScenariosNeedNoFixturesAndAddNothingToTheEnvironment() throws Exception {
        ScenarioCatalog.Prepared p = ScenarioCatalog.prepare(CONNECTION,
                BenchDatabase.Location.parse(BenchDatabase.DEFAULT_SERVER, BenchDatabase.Dataset.STANDARD), BenchDatabase.Dataset.STANDARD,
                new Progress(new PrintStream(OutputStream.nullOutputStream())));
        assertThat(p.scenarios()).extracting(Scenario::name).containsExactlyElementsOf(CONNECTION);
        assertThat(p.env()).isEmpty();
        assertThat(p.writeChecks()).isEmpty();
        assertThat(p.fixtures().database()).isNull();
    }

    @Test
    void theLoginScenarioGivesTheTargetAFreshAccountPasswordAndARaisedLimitAndNoPeerServesIt() throws Exception {
        List<String> names = List.of(LoginIsolation.NAME);
        BenchDatabase.Location db = BenchDatabase.Location.parse(BenchDatabase.DEFAULT_SERVER, BenchDatabase.Dataset.STANDARD);
        Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()));
        ScenarioCatalog.Prepared first = ScenarioCatalog.prepare(names, db, BenchDatabase.Dataset.STANDARD, quiet);
        ScenarioCatalog.Prepared second = ScenarioCatalog.prepare(names, db, BenchDatabase.Dataset.STANDARD, quiet);
        String password = first.env().get(LoginIsolation.NAME).get(LoginIsolation.PASSWORD_ENV);
        assertThat(password).hasSizeGreaterThanOrEqualTo(16).isNotEqualTo(second.env().get(LoginIsolation.NAME).get(LoginIsolation.PASSWORD_ENV));
        assertThat(first.env().get(LoginIsolation.NAME)).containsEntry(LoginIsolation.LIMIT_ENV, Long.toString(LoginIsolation.LIMIT));
        Scenario s = first.scenarios().get(0);
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo(LoginIsolation.PATH);
        assertThat(new String(s.body(), java.nio.charset.StandardCharsets.US_ASCII)).contains("\"password\":\"" + password + "\"");
        assertThat(s.check().expectedStatus()).isEqualTo(200);
        for (String peer : List.of("netty", "vertx", "javalin", "helidon")) {
            assertThat(TargetRegistry.builtIn().get(peer).implementsScenario(LoginIsolation.NAME)).as(peer).isFalse();
        }
    }

    @Test
    void peersServeConnectionsAndTheDatabaseScenariosButNoWebSocketScenarioAndTheDemoServesAll() {
        TargetRegistry registry = TargetRegistry.builtIn();
        for (String peer : List.of("netty", "vertx", "javalin", "helidon")) {
            TargetSpec t = registry.get(peer);
            assertThat(t.implementsScenario("connections")).as(peer).isTrue();
            for (String ws : List.of("ws-echo", "ws-broadcast", "ws-idle")) {
                assertThat(t.implementsScenario(ws)).as(peer + " " + ws).isFalse();
            }
        }
        for (String peer : List.of("vertx", "javalin", "helidon")) {
            for (String db : List.of("db", "queries", "fortunes", "updates")) {
                assertThat(registry.get(peer).implementsScenario(db)).as(peer + " " + db).isTrue();
            }
            assertThat(registry.get(peer).implementsScenario("cached-queries")).as(peer + " cached-queries").isFalse();
        }
        for (String db : List.of("db", "queries", "fortunes", "updates", "cached-queries")) {
            assertThat(registry.get("netty").implementsScenario(db)).as("netty " + db).isFalse();
        }
        for (String covet : List.of("covet", "covet-nonblocking")) {
            for (String name : ScenarioCatalog.names()) {
                assertThat(registry.get(covet).implementsScenario(name)).as(covet + " " + name).isTrue();
            }
        }
    }
}
