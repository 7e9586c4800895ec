package dev.covet.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: starts each target as its own pinned process, loads it from a Netty client over
 * loopback, and writes results.json, summary.md and report.html into
 * {@code bench-results/<timestamp>/}. The {@code covet} CLI can mount this class as a subcommand;
 * {@link BenchMain} runs it alone.
 *
 * <p>Exit status: 0 when every run completed without any error; 1 when the session completed
 * but something failed (see the reports); 2 when nothing could be run (bad options, no target
 * built).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110, subcommands = LoadCommand.class,
        description = {
            "Benchmarks Covet next to its peers over real sockets, every figure with its errors, its server CPU cost and its"
                    + " confidence interval.",
            "Targets run one at a time, interleaved A B C A B C…, each in a fresh process pinned with taskset."},
        footer = {"", "bench load --port P: the load generator alone against a running server (for cross-checks with wrk).",
            "Method and figures: docs/benchmarking.md"})
public final class BenchCommand implements Callable<Integer> {
    /** Flags given to every JVM target unless --jvm-args says otherwise. */
    public static final String DEFAULT_JVM_ARGS = "-Xms512m -Xmx512m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED";
    private static final List<String> QUICK_TARGETS = List.of("covet", "netty");

    @Option(names = "--targets", split = ",", paramLabel = "NAME", description = "Targets to run (default: all known; see --list).")
    List<String> targets;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME", defaultValue = "plaintext,json,echo",
            description = "Scenarios to run: plaintext, json, echo; db, queries, fortunes, updates, cached-queries (PostgreSQL);"
                    + " json-list, validated, validated-invalid, jwt; connections, ws-echo, ws-broadcast, ws-idle (sized by the"
                    + " --scale-*, --ws-*, --room-size, --broadcast-rate and --idle-websockets options) (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--dataset", defaultValue = "standard",
            description = "World table of the database scenarios: standard (10,000 rows) or large (1,000,000) (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--database", defaultValue = BenchDatabase.DEFAULT_SERVER, paramLabel = "URL",
            description = "PostgreSQL server of the database scenarios, postgresql://user@host:port[/name]; the harness creates and"
                    + " seeds the database (default name per dataset) or reuses it (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--repeats", defaultValue = "3", description = "Interleaved repeats per scenario (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "Warm-up per run, measured and reported apart (default: ${DEFAULT-VALUE}; 0s for none).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured window per run (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--connections", defaultValue = "64", description = "Keep-alive connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--pipeline", defaultValue = "16",
            description = "Pipelining depth of pipelined scenarios (plaintext); others use 1 (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "REQ_PER_S",
            description = "Fixed-rate (open-loop) mode at this total rate, latency measured from the scheduled send time;"
                    + " 0 = closed loop (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--client-threads", defaultValue = "1", description = "Event-loop threads of the load generator (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--client-parser", defaultValue = "COVET",
            description = "Response parser of the load generator: COVET (lean, default) or NETTY (HttpResponseDecoder, the reference).")
    LoadSpec.Parser clientParser;

    @Option(names = "--server-cpus", defaultValue = "1", description = "CPU list for targets (taskset -c), or none (default: ${DEFAULT-VALUE}).")
    String serverCpus;

    @Option(names = "--client-cpus", defaultValue = "0", description = "CPU list for the load generator, or none (default: ${DEFAULT-VALUE}).")
    String clientCpus;

    @Option(names = "--database-cpus", defaultValue = "client",
            description = "CPU list for the PostgreSQL backends serving a target (taskset -p), client (the load generator's),"
                    + " or none (default: ${DEFAULT-VALUE}).")
    String databaseCpus;

    @Option(names = "--jvm-args", defaultValue = DEFAULT_JVM_ARGS,
            description = "Flags for every JVM target, one string (default: ${DEFAULT-VALUE}).")
    String jvmArgs;

    @Option(names = "--java", description = "java binary for JVM targets (default: the one running this harness).")
    String java;

    @Option(names = "--baseline", defaultValue = "netty", description = "Target the ratios are relative to (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--targets-file", description = "JSON file adding targets or overriding built-in ones (see docs/benchmarking.md).")
    Path targetsFile;

    @Option(names = "--root", description = "Project root; classpaths are relative to it (default: found upwards from the working directory).")
    Path root;

    @Option(names = "--out", description = "Where results directories go (default: <root>/bench-results).")
    Path out;

    @Option(names = "--ready-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest wait for a target's first 2xx answer (default: ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    @Option(names = "--stop-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "SIGTERM grace before SIGKILL (default: ${DEFAULT-VALUE}).")
    Duration stopTimeout;

    @Option(names = "--quick", description = "Smoke run: 1 repeat, 1 s warm-up, 2 s measured, targets covet and netty if built"
            + " (explicit options still win).")
    boolean quick;

    @Option(names = "--list", description = "List the known targets, whether each is built, and exit.")
    boolean list;

    @Mixin
    ScaleOptions scale = new ScaleOptions();

    @Mixin
    LoginOptions login = new LoginOptions();

    @Spec
    CommandSpec spec;

    private PrintStream err = System.err;
    private Path resultsDir;
    private Results results;
    private String problem;

    /** Where the last call wrote its files, or null. */
    public Path resultsDir() {
        return resultsDir;
    }

    /** What the last call measured, or null. */
    public Results results() {
        return results;
    }

    /** Why the last call could not run anything, or null. */
    public String problem() {
        return problem;
    }

    /** Sends progress lines somewhere other than stderr. */
    public BenchCommand progressTo(PrintStream stream) {
        this.err = stream;
        return this;
    }

    @Override
    public Integer call() throws Exception {
        Instant started = Instant.now();
        Path projectRoot = (root != null ? root : findRoot()).toAbsolutePath().normalize();
        TargetRegistry registry = TargetRegistry.builtIn();
        if (targetsFile != null) {
            registry = registry.overriddenBy(targetsFile.isAbsolute() ? targetsFile : Path.of("").toAbsolutePath().resolve(targetsFile));
        }
        if (list) {
            for (String name : registry.names()) {
                List<String> missing = registry.get(name).missingArtifacts(projectRoot);
                spec.commandLine().getOut().println(String.format("%-18s %s", name,
                        missing.isEmpty() ? "built" : "not built: run mvn package (missing " + String.join(", ", missing) + ")"));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
        applyQuickDefaults();
        MachineInfo machine = MachineInfo.detect();
        String sCpus;
        String cCpus;
        String dCpus;
        List<String> scenarioNames = scenarios.stream().map(String::trim).toList();
        BenchDatabase.Dataset datasetChoice;
        BenchDatabase.Location databaseLocation;
        ScaleSettings scaleSettings;
        LoginSettings loginSettings;
        try {
            sCpus = CpuPinning.validate(serverCpus);
            cCpus = CpuPinning.validate(clientCpus);
            dCpus = databaseCpus.trim().equals("client") ? cCpus : CpuPinning.validate(databaseCpus.trim());
            checkCpusExist(sCpus, machine);
            checkCpusExist(cCpus, machine);
            checkCpusExist(dCpus, machine);
            for (String s : scenarioNames) {
                if (ScenarioCatalog.description(s) == null) {
                    throw new IllegalArgumentException("unknown scenario '" + s + "'; known: " + ScenarioCatalog.names());
                }
            }
            datasetChoice = switch (dataset.trim().toLowerCase(Locale.ROOT)) {
                case "standard" -> BenchDatabase.Dataset.STANDARD;
                case "large" -> BenchDatabase.Dataset.LARGE;
                default -> throw new IllegalArgumentException("--dataset must be standard or large, not " + dataset);
            };
            databaseLocation = BenchDatabase.Location.parse(database.trim(), datasetChoice);
            if (repeats < 1) {
                throw new IllegalArgumentException("--repeats must be at least 1");
            }
            if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
                throw new IllegalArgumentException("--duration must be positive and --warmup not negative");
            }
            new LoadSpec(BenchSession.HOST, 1, Scenario.plaintext(), connections, Math.max(1, pipeline), rate, timeout, clientThreads);
            scaleSettings = scale.settings();
            loginSettings = login.settings();
        } catch (IllegalArgumentException e) {
            return refuse(e.getMessage());
        }

        List<String> wanted = targets != null ? targets.stream().map(String::trim).toList()
                : quick ? QUICK_TARGETS : registry.names();
        List<TargetSpec> runnable = new ArrayList<>();
        List<BenchPlan.Skipped> skipped = new ArrayList<>();
        for (String name : wanted) {
            TargetSpec t;
            try {
                t = registry.get(name);
            } catch (IllegalArgumentException e) {
                return refuse(e.getMessage());
            }
            List<String> missing = t.missingArtifacts(projectRoot);
            if (missing.isEmpty()) {
                runnable.add(t);
            } else {
                skipped.add(new BenchPlan.Skipped(name, "not built: run mvn package (missing " + String.join(", ", missing) + ")"));
            }
        }
        if (quick && targets == null && runnable.isEmpty()) {
            for (String name : registry.names()) {
                if (!QUICK_TARGETS.contains(name) && registry.get(name).missingArtifacts(projectRoot).isEmpty() && runnable.size() < 2) {
                    runnable.add(registry.get(name));
                }
            }
        }
        if (runnable.isEmpty()) {
            StringBuilder why = new StringBuilder("no target is built, so nothing can be measured. Build the targets first"
                    + " (mvn -DskipTests package at the project root " + projectRoot + "). Asked for:");
            skipped.forEach(s -> why.append("\n  ").append(s.target()).append(": ").append(s.reason()));
            return refuse(why.toString());
        }

        Progress progress = new Progress(err);
        ScenarioCatalog.Prepared prepared;
        try {
            prepared = ScenarioCatalog.prepare(scenarioNames, databaseLocation, datasetChoice, progress);
        } catch (java.sql.SQLException e) {
            return refuse("cannot prepare the database of the database scenarios on " + databaseLocation.host() + ":"
                    + databaseLocation.port() + ": " + e.getMessage() + " (bin/services starts PostgreSQL; --database names another)");
        }
        List<Scenario> scenarioList = prepared.scenarios();

        String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC).format(started);
        Path parent = out != null ? out.toAbsolutePath() : projectRoot.resolve("bench-results");
        Path dir = parent.resolve(stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = parent.resolve(stamp + "-" + i);
        }
        Files.createDirectories(dir);
        resultsDir = dir;

        List<String> commandLine = commandLine();
        String javaBin = java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvmArgList = jvmArgs.isBlank() ? List.of() : Arrays.asList(jvmArgs.trim().split("\\s+"));
        BenchPlan plan = new BenchPlan(projectRoot, dir, runnable, skipped, scenarioList, repeats, warmup, duration, connections,
                Math.max(1, pipeline), rate, timeout, clientThreads, clientParser, sCpus, cCpus, javaBin, jvmArgList, baseline, readyTimeout,
                stopTimeout, quick, commandLine, prepared.env(), prepared.writeChecks(), scaleSettings,
                loginSettings, prepared.fixtures().database() == null ? null
                        : new DatabasePinning(prepared.fixtures().database().location(), dCpus));

        progress.line("results -> %s", dir);
        skipped.forEach(s -> progress.line("skipping %s: %s", s.target(), s.reason()));
        if (!sCpus.equals(CpuPinning.NONE) && !cCpus.equals(CpuPinning.NONE) && CpuPinning.overlap(sCpus, cCpus)) {
            progress.line("WARNING: server CPUs %s and client CPUs %s overlap: client and server compete for the same core", sCpus, cCpus);
        }
        String clientPinning = CpuPinning.pinSelf(cCpus, err);
        progress.line("load generator: %s; targets: %s", clientPinning, CpuPinning.describeServer(sCpus));
        if (plan.databasePinning() != null) {
            progress.line("database: %s", plan.databasePinning().describe());
            if (!dCpus.equals(CpuPinning.NONE) && !sCpus.equals(CpuPinning.NONE) && CpuPinning.overlap(sCpus, dCpus)) {
                progress.line("WARNING: server CPUs %s and database CPUs %s overlap: the database competes with the server", sCpus, dCpus);
            }
        }
        if (runnable.stream().noneMatch(t -> t.name().equals(baseline))) {
            progress.line("note: baseline '%s' is not among the targets run; ratios will be n/a", baseline);
        }
        try {
            double load = LinuxProc.loadAverage();
            if (load > 0.5 * machine.logicalCpus()) {
                progress.line("WARNING: the machine is busy (1-minute load average %.1f on %d CPUs): figures will be disturbed;"
                        + " each run reports how much of its pinned CPUs other processes took", load, machine.logicalCpus());
            }
        } catch (IOException e) {
            progress.line("note: cannot read /proc/loadavg: %s", e.getMessage());
        }
        long perRun = warmup.toSeconds() + duration.toSeconds() + 3;
        progress.line("plan: %d run(s) = %d scenario(s) × %d repeat(s) × %d target(s), about %d s", plan.runCount(),
                scenarioList.size(), repeats, runnable.size(), plan.runCount() * perRun);

        List<RunResult> runs = new BenchSession(plan, progress, clientPinning).run();

        Summary summary = Summary.of(scenarioList.stream().map(Scenario::name).toList(), runnable.stream().map(TargetSpec::name).toList(),
                baseline, runs);
        boolean errors = runs.stream().anyMatch(RunResult::errors);
        Map<String, Object> harness = new LinkedHashMap<>();
        harness.put("pid", ProcessHandle.current().pid());
        harness.put("clientPinning", clientPinning);
        harness.put("serverPinning", CpuPinning.describeServer(sCpus));
        harness.put("clientTransport", runs.stream().map(RunResult::clientTransport).filter(t -> t != null).findFirst().orElse("n/a"));
        harness.put("git", gitDescription(projectRoot));
        Map<String, Object> settings = settings(plan);
        settings.put("dataset", datasetChoice.name().toLowerCase(Locale.ROOT));
        BenchDatabase.Prepared db = prepared.fixtures().database();
        if (db != null) {
            settings.put("database", "PostgreSQL " + db.server() + " at " + db.url() + ", world " + String.format("%,d", db.worldRows())
                    + " rows, fortune " + TechEmpowerData.FORTUNES.size() + " rows (" + String.join("; ", db.actions()) + "); "
                    + plan.databasePinning().describe());
        }
        results = new Results(Results.SCHEMA, started.toString(), Instant.now().toString(), commandLine, originalArgs(),
                Path.of("").toAbsolutePath().toString(), errors, harness, machine, settings, skipped, summary, runs);
        Report.write(results, dir);
        progress.line("wrote %s, %s and %s", dir.resolve("results.json"), dir.resolve("summary.md"), dir.resolve("report.html"));
        for (Summary.ScenarioSummary s : summary.scenarios()) {
            s.notImplemented().forEach(t -> progress.line("%s %s: not implemented", s.scenario(), t));
            for (Summary.TargetSummary t : s.ranking()) {
                if (t.measuredRuns() == 0) {
                    progress.line("%s #%d %s: FAILED, no measurement in %d run(s); see summary.md", s.scenario(), t.rank(), t.target(), t.runs());
                    continue;
                }
                progress.line("%s #%d %s: %s req/server-CPU-s, %s req/s, p99 %s ms, errors %d%s", s.scenario(), t.rank(), t.target(),
                        Figures.median(t.requestsPerCpuSecond()), Figures.median(t.rps()), Figures.msMedian(t.p99Us()), t.measureErrors(),
                        t.warmupErrors() > 0 ? ", warm-up errors " + t.warmupErrors() : "");
            }
        }
        progress.line(errors ? "ERRORS: some runs had failures; see summary.md" : "no errors");
        spec.commandLine().getOut().println(dir.resolve("summary.md"));
        spec.commandLine().getOut().flush();
        return errors ? 1 : 0;
    }

    private int refuse(String why) {
        problem = why;
        err.println("covet-bench: " + why);
        err.flush();
        return 2;
    }

    private void applyQuickDefaults() {
        if (!quick) {
            return;
        }
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        if (!pr.hasMatchedOption("--repeats")) {
            repeats = 1;
        }
        if (!pr.hasMatchedOption("--warmup")) {
            warmup = Duration.ofSeconds(1);
        }
        if (!pr.hasMatchedOption("--duration")) {
            duration = Duration.ofSeconds(2);
        }
        if (!pr.hasMatchedOption("--ready-timeout")) {
            readyTimeout = Duration.ofSeconds(30);
        }
    }

    private static void checkCpusExist(String cpus, MachineInfo m) {
        if (cpus.equals(CpuPinning.NONE)) {
            return;
        }
        for (String part : cpus.split("[,-]")) {
            if (Integer.parseInt(part) >= m.logicalCpus()) {
                throw new IllegalArgumentException("CPU " + part + " does not exist: this machine has " + m.logicalCpus()
                        + " (0-" + (m.logicalCpus() - 1) + "); pass --server-cpus/--client-cpus/--database-cpus, or none");
            }
        }
    }

    private List<String> originalArgs() {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        return pr == null ? List.of() : List.copyOf(pr.originalArgs());
    }

    private List<String> commandLine() {
        List<String> cmd = new ArrayList<>();
        ProcessHandle.Info info = ProcessHandle.current().info();
        cmd.add(info.command().orElse("java"));
        info.arguments().ifPresent(a -> cmd.addAll(Arrays.asList(a)));
        if (!cmd.contains(BenchMain.class.getName())) {
            cmd.add("(bench called in-process with: " + String.join(" ", originalArgs()) + ")");
        }
        return cmd;
    }

    private Map<String, Object> settings(BenchPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", p.rate() > 0 ? "fixed-rate at " + p.rate() + " req/s" : "closed-loop");
        m.put("targets", p.targets().stream().map(TargetSpec::name).toList());
        m.put("scenarios", p.scenarios().stream().map(Scenario::name).toList());
        m.put("repeats", p.repeats());
        m.put("warmup", Figures.seconds(p.warmup()));
        m.put("duration", Figures.seconds(p.duration()));
        m.put("connections", p.connections());
        m.put("pipeline", p.pipeline());
        m.put("rate", p.rate());
        m.put("timeout", Figures.seconds(p.timeout()));
        m.put("clientThreads", p.clientThreads());
        m.put("clientParser", p.parser().name());
        m.put("serverCpus", p.serverCpus());
        m.put("clientCpus", p.clientCpus());
        m.put("java", p.java());
        m.put("jvmArgs", p.jvmArgs());
        m.put("baseline", p.baseline());
        m.put("readyTimeout", Figures.seconds(p.readyTimeout()));
        m.put("stopTimeout", Figures.seconds(p.stopTimeout()));
        m.put("quick", p.quick());
        m.put("scale", p.scale());
        m.put("login", p.login());
        m.put("root", p.root().toString());
        return m;
    }

    private static String gitDescription(Path root) {
        try {
            String head = run(root, "git", "rev-parse", "HEAD");
            String dirty = run(root, "git", "status", "--porcelain", "--untracked-files=no");
            return head == null ? null : head + (dirty != null && !dirty.isBlank() ? " (with uncommitted changes)" : "");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The project root: the nearest directory upwards whose pom.xml is covet-parent's, else the working directory. */
    static Path findRoot() {
        String env = System.getenv("COVET_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path pom = d.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>covet-parent</artifactId>")
                        && !Files.readString(pom).contains("<parent>")) {
                    return d;
                }
            } catch (IOException ignored) {
                // unreadable pom: keep looking upwards
            }
        }
        return dir;
    }
}
