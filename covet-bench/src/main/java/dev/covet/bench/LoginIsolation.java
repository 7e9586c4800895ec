package dev.covet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code login-isolation} scenario: how many logins a target checks at its configured password-hashing cost,
 * and whether a cheap route keeps its latency meanwhile. The point is isolation, not speed: a memory-hard hash
 * (Argon2id) costs tens of milliseconds of CPU, and a server that runs it where it runs everything else lets a
 * login flood stall every other route.
 *
 * <p>Three kinds of load at once, each its own {@link LoadGenerator} (own connections, own event loop), every phase
 * starting at the same instant:
 * <ul>
 *   <li>the login flood: {@link LoginSettings#connections()} closed-loop connections posting the valid credentials of
 *       an account the harness makes for the session ({@code bench}, a fresh random password in
 *       {@value #PASSWORD_ENV}), each answer checked for an access token;</li>
 *   <li>the failures, unless {@link LoginSettings#failureConnections()} is 0: as many connections posting a wrong
 *       password, and as many an unknown account, each expecting the 401 problem;</li>
 *   <li>the probe: {@code GET /json} at {@link LoginSettings#probeRate()} requests per second, open loop
 *       ({@link FixedRateLoop}), latency measured from each request's scheduled send time.</li>
 * </ul>
 * The run is: warm-up (everything), then the probe alone for {@code --duration} (its baseline), then everything for
 * {@code --duration} (the measured window of the run, whose throughput and server CPU are the logins'). The ratio of
 * the probe's percentiles under the flood to those alone is the isolation figure: 1× is perfect isolation.
 *
 * <p>Caveat: a real login limiter allows a handful of attempts per address, so the harness asks the target to raise
 * it ({@value #LIMIT_ENV}, {@value #LIMIT} per 15 minutes) to measure the hashing rather than the 429s. A 429 or a
 * 503 (the hasher's queue full) still counts as a failed login and is reported by status, never hidden. The server
 * CPU per login includes what the probe and the failed attempts cost in the same window.
 */
final class LoginIsolation {
    static final String NAME = "login-isolation";
    static final String PATH = "/secure/login";
    static final String ACCOUNT = "bench";
    /** The environment variable the target reads the bench account's password from. */
    static final String PASSWORD_ENV = "DEMO_BENCH_LOGIN_PASSWORD";
    /** The environment variable the target reads its login attempts per 15 minutes (per IP and per account) from. */
    static final String LIMIT_ENV = "DEMO_LOGIN_LIMIT";
    /** Far above any flood's attempts: the limiter is checked on every attempt but does not decide the figure. */
    static final long LIMIT = 1_000_000_000L;
    static final String DESCRIPTION = "POST " + PATH + " flood (closed loop, valid credentials of a session account; plus wrong-password"
            + " and unknown-account attempts) while GET /json runs at a fixed rate; logins/s and per server CPU-second, and the"
            + " probe's latency with and without the flood";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WRONG_PASSWORD = "not-the-bench-password";
    private static final String UNKNOWN_ACCOUNT = "no-such-bench-account";

    private LoginIsolation() {
    }

    /** A fresh random password for the session's account: 32 characters of Base64url. */
    static String newPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** What a target's environment gets: the account's password and the raised limit. */
    static Map<String, String> env(String password) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(PASSWORD_ENV, password);
        env.put(LIMIT_ENV, Long.toString(LIMIT));
        return env;
    }

    /** The valid login, expecting 200 and a token pair: the scenario's own request, whose figures rank the targets. */
    static Scenario logins(String password) {
        return login(NAME, ACCOUNT, password, new ParsedBodyCheck(200, tokenPair(), "a JSON object with an access_token"));
    }

    static Scenario wrongPassword() {
        return login(NAME + " (wrong password)", ACCOUNT, WRONG_PASSWORD, invalidCredentials());
    }

    static Scenario unknownAccount() {
        return login(NAME + " (unknown account)", UNKNOWN_ACCOUNT, WRONG_PASSWORD, invalidCredentials());
    }

    private static Scenario login(String name, String user, String password, ResponseCheck check) {
        byte[] body = ("{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}").getBytes(StandardCharsets.US_ASCII);
        return new Scenario(name, DESCRIPTION, "POST", PATH, Map.of("Content-Type", "application/json", "Accept", "application/json"),
                body, check, false, "http/1.1");
    }

    private static ParsedBodyCheck invalidCredentials() {
        return new ParsedBodyCheck(401, (body, length) -> {
            JsonNode node = JSON.readTree(body, 0, length);
            JsonNode status = node == null ? null : node.get("status");
            return status != null && status.asInt() == 401 ? null : "expected a problem with status 401, got " + length + " bytes";
        }, "a 401 problem");
    }

    private static ParsedBodyCheck.BodyRule tokenPair() {
        return (body, length) -> {
            JsonNode node = JSON.readTree(body, 0, length);
            JsonNode token = node == null ? null : node.get("access_token");
            return token != null && token.isString() && !token.asString().isEmpty() ? null
                    : "expected {\"access_token\":…}, got " + length + " bytes without one";
        };
    }

    /**
     * Whether the target serves the login route: posts the unknown account until the answer is not 503 (a target may
     * answer 503 while it starts), at most until {@code readyTimeout} after the process started.
     *
     * @return the status: 401 when the route is there, 404 or 405 when it is not
     * @param answer how long one attempt may take: a login, and the first one runs cold (interpreted hashing)
     * @throws IllegalStateException when the route answers anything else, or still 503 at the deadline, or not in time
     */
    static int routeStatus(TargetProcess process, String host, int port, Duration readyTimeout, Duration answer)
            throws IOException, InterruptedException {
        byte[] request = unknownAccount().encode(host, port);
        long deadline = process.startNanos() + readyTimeout.toNanos();
        while (true) {
            int status;
            try {
                status = ReadinessProbe.probeOnce(host, port, request, answer);
            } catch (java.net.SocketTimeoutException e) {
                throw new IllegalStateException("POST " + PATH + " with an unknown account did not answer within "
                        + answer.toSeconds() + " s (--login-timeout)", e);
            }
            if (status == 401 || UpgradeProbe.notImplemented(status)) {
                return status;
            }
            if (status != 503 || System.nanoTime() > deadline) {
                throw new IllegalStateException("POST " + PATH + " with an unknown account answered " + status + ", expected 401"
                        + (status == 503 ? " (still 503 " + readyTimeout.toSeconds() + " s after start)" : ""));
            }
            Thread.sleep(20);
        }
    }

    /**
     * What one run measured.
     *
     * @param warmup          the flood's warm-up phase, or null without warm-up
     * @param warmupErrors    whether any warm-up phase (flood, failures, probe) had errors
     * @param logins          the flood in the measured window
     * @param server          the target in the measured window, per successful login
     * @param client          the harness in the measured window
     * @param contention      the pinned CPUs in the measured window
     * @param clientTransport the load generator's transport
     * @param result          the rest: the probe alone and under the flood, the failures
     */
    record Measured(PhaseResult warmup, boolean warmupErrors, PhaseResult logins, ServerCost server, ClientCost client,
            Contention contention, String clientTransport, LoginIsolationResult result) {
    }

    /** Counters around one window of the target and the harness, as {@link BenchSession} reads them. */
    interface Window {
        void begin();

        void end();

        ServerCost serverCost(long successes);

        ClientCost clientCost(int cpus);

        Contention contention();
    }

    /**
     * Warm-up, the probe alone, then everything at once (see the class comment).
     *
     * @param logins the valid-login scenario ({@link #logins})
     */
    static Measured measure(String host, int port, Scenario logins, LoginSettings s, BenchPlan plan, Supplier<Window> windows,
            int clientCpus, Progress progress, String tag) throws InterruptedException {
        LoadSpec floodSpec = new LoadSpec(host, port, logins, s.connections(), 1, 0, s.loginTimeout(), plan.clientThreads(), plan.parser());
        LoadSpec probeSpec = new LoadSpec(host, port, Scenario.json(), s.probeConnections(), 1, s.probeRate(), plan.timeout(), 1,
                plan.parser());
        boolean failures = s.failureConnections() > 0;
        try (LoadGenerator flood = new LoadGenerator(floodSpec, progress.stream());
                LoadGenerator probe = new LoadGenerator(probeSpec, progress.stream());
                LoadGenerator wrong = failures ? failureGenerator(host, port, wrongPassword(), s, plan, progress) : null;
                LoadGenerator unknown = failures ? failureGenerator(host, port, unknownAccount(), s, plan, progress) : null) {
            List<LoadGenerator> all = new ArrayList<>(List.of(flood, probe));
            if (failures) {
                all.add(wrong);
                all.add(unknown);
            }
            List<String> notes = new ArrayList<>();
            PhaseResult warm = null;
            boolean warmErrors = false;
            if (!plan.warmup().isZero()) {
                List<PhaseResult> w = together("warmup", plan.warmup(), all);
                warm = w.get(0);
                for (int i = 0; i < w.size(); i++) {
                    warmErrors |= w.get(i).errorsFlag();
                    if (i > 0 && w.get(i).errorCount() > 0) {
                        notes.add("warm-up " + role(i) + ": failed " + LoginTable.failures(w.get(i)));
                    }
                }
                progress.line("%s warm-up %.1f s: %d logins (%d errors), probe %d requests (%d errors)", tag, warm.seconds(),
                        warm.requests(), warm.errorCount(), w.get(1).requests(), w.get(1).errorCount());
            }
            Window alone = windows.get();
            alone.begin();
            PhaseResult probeAlone = probe.runPhase("probe-alone", plan.duration());
            alone.end();
            ServerCost aloneCost = alone.serverCost(probeAlone.successes());
            progress.line("%s probe alone %.1f s: %.0f req/s, p99 %s ms, %d errors", tag, probeAlone.seconds(), probeAlone.rps(),
                    ms(probeAlone.latency().p99Us()), probeAlone.errorCount());

            Window loaded = windows.get();
            loaded.begin();
            List<PhaseResult> m = together("measure", plan.duration(), all);
            loaded.end();
            PhaseResult floodPhase = m.get(0);
            PhaseResult probeLoaded = m.get(1);
            PhaseResult wrongPhase = failures ? m.get(2) : null;
            PhaseResult unknownPhase = failures ? m.get(3) : null;
            for (PhaseResult p : m) {
                if (p.unsent() > 0) {
                    notes.add("probe rate not sustained: " + p.unsent() + " requests were due but never sent");
                }
            }
            if (probeAlone.unsent() > 0) {
                notes.add("probe rate not sustained without the flood: " + probeAlone.unsent() + " requests were due but never sent");
            }
            LoginIsolationResult result = LoginIsolationResult.of(s, LIMIT, probeAlone, aloneCost.cpuUtilisation(), probeLoaded,
                    wrongPhase, unknownPhase, notes);
            progress.line("%s under the flood: %.1f logins/s (%d errors%s), probe p99 %s ms (%s alone), %d probe errors", tag,
                    floodPhase.rps(), floodPhase.errorCount(), floodPhase.failedStatuses().isEmpty() ? "" : ", statuses "
                            + floodPhase.failedStatuses(), ms(probeLoaded.latency().p99Us()), Figures.ratio(result.probeP99Ratio()),
                    probeLoaded.errorCount());
            return new Measured(warm, warmErrors, floodPhase, loaded.serverCost(floodPhase.successes()), loaded.clientCost(clientCpus),
                    loaded.contention(), flood.transport(), result);
        }
    }

    private static LoadGenerator failureGenerator(String host, int port, Scenario scenario, LoginSettings s, BenchPlan plan,
            Progress progress) {
        return new LoadGenerator(new LoadSpec(host, port, scenario, s.failureConnections(), 1, 0, s.loginTimeout(), 1, plan.parser()),
                progress.stream());
    }

    private static String role(int index) {
        return switch (index) {
            case 0 -> "logins";
            case 1 -> "probe";
            case 2 -> "wrong password";
            default -> "unknown account";
        };
    }

    /** Runs one phase of every generator over the same window, and returns their results in the same order. */
    static List<PhaseResult> together(String phase, Duration duration, List<LoadGenerator> generators) throws InterruptedException {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        List<PhaseResult> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<PhaseResult>> running = new ArrayList<>();
            for (LoadGenerator g : generators) {
                running.add(threads.submit(() -> g.runPhase(phase, start, duration)));
            }
            for (Future<PhaseResult> f : running) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a load generator failed in phase " + phase + ": " + e.getCause(), e.getCause());
                }
            }
        }
        return results;
    }

    private static String ms(Long us) {
        return Figures.ms(us == null ? null : us.doubleValue());
    }
}
