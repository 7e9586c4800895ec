package dev.covet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every scenario the harness knows by name: the protocol basics of {@link Scenario#builtIn()}, and
 * the realistic ones that need something prepared first, a seeded database or a signing secret.
 *
 * <p>{@link #prepare} makes those fixtures once per session, only for the scenarios asked for, and
 * says what each scenario adds to a target's environment. TechEmpower's database tests:
 * {@code db}, {@code queries} and {@code updates} with 20 queries per request (the spec's highest),
 * {@code fortunes}, {@code cached-queries} with count 20. API scenarios: {@code json-list} (100 items,
 * about 50 KB), {@code validated} (a valid JSON body, Bean-Validation style), {@code validated-invalid}
 * (an invalid one, expecting 422 problem+json), {@code jwt} (a bearer token on a protected route).
 * Connection scenarios ({@link ConnectionScenarios}, sized by {@link ScaleSettings}): {@code connections},
 * {@code ws-echo}, {@code ws-broadcast}, {@code ws-idle}. And {@code login-isolation} ({@link LoginIsolation}, sized by
 * {@link LoginSettings}): a login flood beside a fixed-rate probe.
 */
final class ScenarioCatalog {
    /** Rows of {@code /queries}, {@code /updates} and {@code /cached-queries} per request. */
    static final int QUERIES = 20;

    private static final Map<String, String> DATABASE = ordered(
            "db", "GET /db: one random World row as {\"id\",\"randomNumber\"}, id within the table, randomNumber 1..10,000",
            "queries", "GET /queries?queries=" + QUERIES + ": an array of " + QUERIES + " random World rows, each checked like db",
            "fortunes", "GET /fortunes: the 12 fortunes plus the one added at request time, sorted by message, HTML-escaped, UTF-8",
            "updates", "GET /updates?queries=" + QUERIES + ": " + QUERIES + " World rows read, given new randomNumbers and written;"
                    + " the answer checked like queries, the writes by comparing World before and after the run",
            "cached-queries", "GET /cached-queries?count=" + QUERIES + ": " + QUERIES + " World rows from the target's cache, checked"
                    + " like queries");
    private static final Map<String, String> API = ordered(
            "json-list", "GET /json-list: " + ApiBodies.LIST_SIZE + " items, " + ApiBodies.largeList().length
                    + " bytes of JSON, compared with the expected document",
            "validated", "POST /validated with a valid " + ApiBodies.VALID_USER.length + "-byte JSON user: expects it back (200)",
            "validated-invalid", "POST /validated with a JSON user whose three fields are invalid: expects 422 problem+json naming"
                    + " name, email and age",
            "jwt", "GET /secure/me/ with an HS256 bearer token minted by the harness: expects {\"user\":\"bench\",…}",
            "jwt-none", "GET /secure/anonymous/: the same answer as jwt through the same middleware, without the bearer"
                    + " check (jwt's baseline: jwt / jwt-none is what verifying the token costs)");
    private static final Map<String, String> CONNECTION = ordered(
            "connections", "many keep-alive connections (--scale-connections), each sending GET /plaintext every"
                    + " --scale-interval; server memory per connection",
            "ws-echo", "WebSocket " + ConnectionScenarios.WS_ECHO_PATH + ": 64-byte text messages at a fixed rate (--ws-rate), each"
                    + " must come back unchanged; latency from the scheduled send time",
            "ws-broadcast", "WebSocket " + ConnectionScenarios.WS_BROADCAST_PATH + ": one sender, a room of --room-size receivers;"
                    + " latency until the last member has each message, and of every receipt",
            "ws-idle", "--idle-websockets WebSockets on " + ConnectionScenarios.WS_ECHO_PATH + " held open, sending nothing; server"
                    + " memory per connection");
    private static final Map<String, String> LOGIN = ordered(LoginIsolation.NAME, LoginIsolation.DESCRIPTION);

    /**
     * The fixtures of a session, made once.
     *
     * @param database the seeded database, or null when no scenario needs one
     * @param jwt      the signing secret and token, or null when no scenario needs one
     * @param loginPassword the password of the login scenario's account, or null when no scenario needs one
     */
    record Fixtures(BenchDatabase.Prepared database, BenchJwt jwt, String loginPassword) {
        /** Fixtures without a login account. */
        Fixtures(BenchDatabase.Prepared database, BenchJwt jwt) {
            this(database, jwt, null);
        }
    }

    /**
     * The scenarios of a session with what they need.
     *
     * @param scenarios    in the order asked
     * @param env          per scenario name, what a target's environment gets for it (only scenarios that add something)
     * @param fixtures     what was prepared
     * @param writeChecks  per scenario name, the check that its writes reached the database (updates only)
     */
    record Prepared(List<Scenario> scenarios, Map<String, Map<String, String>> env, Fixtures fixtures,
            Map<String, WorldWriteCheck> writeChecks) {
    }

    private ScenarioCatalog() {
    }

    /** All names, in report order. */
    static List<String> names() {
        List<String> all = new ArrayList<>(Scenario.builtIn().keySet());
        all.addAll(DATABASE.keySet());
        all.addAll(API.keySet());
        all.addAll(CONNECTION.keySet());
        all.addAll(LOGIN.keySet());
        return all;
    }

    /** The one-line description of a scenario, or null for an unknown name. */
    static String description(String name) {
        Scenario basic = Scenario.builtIn().get(name);
        if (basic != null) {
            return basic.description();
        }
        if (DATABASE.containsKey(name)) {
            return DATABASE.get(name);
        }
        return API.containsKey(name) ? API.get(name) : CONNECTION.containsKey(name) ? CONNECTION.get(name) : LOGIN.get(name);
    }

    /** Whether the scenario is about connections (sized by {@link ScaleSettings}) rather than requests. */
    static boolean isConnectionScenario(String name) {
        return CONNECTION.containsKey(name);
    }

    /** Whether the scenario reads the database. */
    static boolean needsDatabase(String name) {
        return DATABASE.containsKey(name);
    }

    /**
     * Checks the names, then seeds the database and mints the token if any scenario needs them.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws java.sql.SQLException    if the database cannot be prepared
     */
    static Prepared prepare(List<String> names, BenchDatabase.Location database, BenchDatabase.Dataset dataset, Progress progress)
            throws java.sql.SQLException {
        for (String n : names) {
            if (description(n) == null) {
                throw new IllegalArgumentException("unknown scenario '" + n + "'; known: " + names());
            }
        }
        BenchDatabase.Prepared db = null;
        if (names.stream().anyMatch(ScenarioCatalog::needsDatabase)) {
            progress.line("database: preparing %s (dataset %s, %,d World rows) on %s:%d", database.database(),
                    dataset.name().toLowerCase(java.util.Locale.ROOT), dataset.worldRows(), database.host(), database.port());
            db = BenchDatabase.prepare(database, dataset);
            progress.line("database: %s in %.1f s (PostgreSQL %s): %s", db.url(), db.seconds(), db.server(), String.join("; ", db.actions()));
        }
        BenchJwt jwt = names.contains("jwt") ? BenchJwt.mint() : null;
        Fixtures fixtures = new Fixtures(db, jwt, names.contains(LoginIsolation.NAME) ? LoginIsolation.newPassword() : null);
        List<Scenario> scenarios = new ArrayList<>();
        Map<String, Map<String, String>> env = new LinkedHashMap<>();
        for (String n : names) {
            scenarios.add(build(n, fixtures));
            Map<String, String> e = env(n, fixtures);
            if (!e.isEmpty()) {
                env.put(n, e);
            }
        }
        Map<String, WorldWriteCheck> writeChecks = db != null && names.contains("updates")
                ? Map.of("updates", new WorldWriteCheck(db.location(), QUERIES)) : Map.of();
        return new Prepared(List.copyOf(scenarios), Map.copyOf(env), fixtures, writeChecks);
    }

    /** The scenario of that name, built on the fixtures (which must hold what it needs). */
    static Scenario build(String name, Fixtures f) {
        Scenario basic = Scenario.builtIn().get(name);
        if (basic != null) {
            return basic;
        }
        Map<String, String> json = Map.of("Accept", "application/json");
        int rows = f.database() == null ? TechEmpowerData.STANDARD_WORLD_ROWS : f.database().worldRows();
        return switch (name) {
            case "db" -> get(name, "/db", json, TechEmpowerBodies.world(rows), "one World object");
            case "queries" -> get(name, "/queries?queries=" + QUERIES, json, TechEmpowerBodies.worlds(QUERIES, rows),
                    QUERIES + " World objects");
            case "updates" -> get(name, "/updates?queries=" + QUERIES, json, TechEmpowerBodies.worlds(QUERIES, rows),
                    QUERIES + " World objects");
            case "cached-queries" -> get(name, "/cached-queries?count=" + QUERIES, json, TechEmpowerBodies.worlds(QUERIES, rows),
                    QUERIES + " World objects");
            case "fortunes" -> get(name, "/fortunes", Map.of("Accept", "text/html"), TechEmpowerBodies.fortunes(),
                    "the fortunes page");
            case "json-list" -> get(name, "/json-list", json, ApiBodies.sameJson(ApiBodies.largeList()), "the large JSON list");
            case "validated" -> post(name, ApiBodies.VALID_USER, 200, ApiBodies.sameJson(ApiBodies.VALID_USER), "the user back");
            case "validated-invalid" -> post(name, ApiBodies.INVALID_USER, 422, ApiBodies.validationProblem(),
                    "a problem naming " + ApiBodies.INVALID_FIELDS);
            case "jwt" -> {
                if (f.jwt() == null) {
                    throw new IllegalStateException("the jwt scenario needs a minted token");
                }
                yield get(name, "/secure/me/", Map.of("Accept", "application/json", "Authorization", "Bearer " + f.jwt().token()),
                        ApiBodies.authenticatedAs(BenchJwt.SUBJECT), "the token's subject as user");
            }
            case "jwt-none" -> get(name, "/secure/anonymous/", Map.of("Accept", "application/json"),
                    ApiBodies.authenticatedAs(BenchJwt.SUBJECT), "the same user as jwt, without a token");
            case "connections" -> ConnectionScenarios.connections();
            case "ws-echo" -> ConnectionScenarios.wsEcho();
            case "ws-broadcast" -> ConnectionScenarios.wsBroadcast();
            case "ws-idle" -> ConnectionScenarios.wsIdle();
            case LoginIsolation.NAME -> {
                if (f.loginPassword() == null) {
                    throw new IllegalStateException("the login-isolation scenario needs its account's password");
                }
                yield LoginIsolation.logins(f.loginPassword());
            }
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + names());
        };
    }

    /** What a target's environment gets for this scenario. */
    static Map<String, String> env(String name, Fixtures f) {
        Map<String, String> env = new LinkedHashMap<>();
        if (needsDatabase(name)) {
            env.put("COVET_DATA_URL", f.database().url());
            env.put("DEMO_DATA_PREPARED", "true");
            env.put("DEMO_WORLD_ROWS", Integer.toString(f.database().worldRows()));
        }
        if (name.equals("jwt")) {
            env.put(BenchJwt.SECRET_ENV, f.jwt().secretBase64());
        }
        if (name.equals(LoginIsolation.NAME)) {
            env.putAll(LoginIsolation.env(f.loginPassword()));
        }
        return env;
    }

    private static Scenario get(String name, String path, Map<String, String> headers, ParsedBodyCheck.BodyRule rule, String what) {
        return new Scenario(name, description(name), "GET", path, headers, new byte[0], new ParsedBodyCheck(200, rule, what), false,
                "http/1.1");
    }

    private static Scenario post(String name, byte[] body, int status, ParsedBodyCheck.BodyRule rule, String what) {
        return new Scenario(name, description(name), "POST", "/validated",
                Map.of("Content-Type", "application/json", "Accept", "application/json"), body, new ParsedBodyCheck(status, rule, what),
                false, "http/1.1");
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
