package dev.covet.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link BenchPlan}: for each scenario, the targets interleaved A B C A B C … for the
 * given repeats, each run in a freshly started target process:
 * start (pinned) → probe until the first 2xx (time to first response) → attach to the JVM →
 * warm-up phase → server counters → measured phase → server counters → stop (SIGTERM, then
 * SIGKILL) → exit code. One target failing never stops the session; its run says why.
 */
final class BenchSession {
    static final String HOST = "127.0.0.1";

    private final BenchPlan plan;
    private final Progress progress;
    private final String clientPinning;
    private final int clientCpuCount;
    private final String effectiveServerCpus;
    private final String effectiveClientCpus;

    BenchSession(BenchPlan plan, Progress progress, String clientPinning) {
        this.plan = plan;
        this.progress = progress;
        this.clientPinning = clientPinning;
        int pinned = clientPinning.startsWith("taskset") ? CpuPinning.count(plan.clientCpus()) : 0;
        this.clientCpuCount = pinned > 0 ? pinned : Runtime.getRuntime().availableProcessors();
        this.effectiveClientCpus = pinned > 0 ? plan.clientCpus() : CpuPinning.NONE;
        this.effectiveServerCpus = CpuPinning.tasksetAvailable() ? plan.serverCpus() : CpuPinning.NONE;
    }

    List<RunResult> run() {
        List<RunResult> results = new ArrayList<>();
        int seq = 0;
        for (Scenario s : plan.scenarios()) {
            for (TargetSpec t : plan.targets()) {
                if (!t.implementsScenario(s.name())) {
                    progress.line("%s · %s: not implemented by this target, not run", s.name(), t.name());
                    results.add(notImplemented(s, t));
                }
            }
            for (int r = 1; r <= plan.repeats(); r++) {
                for (TargetSpec t : plan.targets()) {
                    if (t.implementsScenario(s.name())) {
                        seq++;
                        results.add(runOne(seq, s, t, r));
                    }
                }
            }
        }
        return results;
    }

    /** The one record of a scenario a target does not serve: neither a failure nor an error, and not dropped. */
    private RunResult notImplemented(Scenario s, TargetSpec t) {
        return new RunResult(0, s.name(), t.name(), 0, Instant.now().toString(), RunResult.NOT_IMPLEMENTED, false, null, List.of(),
                CpuPinning.describeServer(plan.serverCpus()), 0, 0, null, null, null, null, null, null, null, null, null, null, null,
                null, List.of("target " + t.name() + " does not implement scenario " + s.name() + " (it declares " + t.scenarios() + ")"),
                null, null);
    }

    private RunResult runOne(int seq, Scenario scenario, TargetSpec target, int repeat) {
        String tag = String.format("(%d/%d) %s · %s · run %d/%d:", seq, plan.runCount(), scenario.name(), target.name(),
                repeat, plan.repeats());
        String startedAt = Instant.now().toString();
        List<String> notes = new ArrayList<>();
        int port;
        try {
            port = target.port() != null ? target.port() : freePort();
        } catch (IOException e) {
            progress.line("%s FAILED: no free port: %s", tag, e);
            return failed(seq, scenario, target, repeat, startedAt, "no free port: " + e, List.of(), 0, 0, null, null, null, notes);
        }
        String logName = String.format("logs/%03d-%s-%s-r%d.log", seq, scenario.name(), target.name(), repeat);
        Path log = plan.resultsDir().resolve(logName);
        List<String> command = new ArrayList<>(CpuPinning.prefix(plan.serverCpus()));
        command.addAll(target.commandLine(plan.java(), plan.jvmArgs(), plan.root(), port));

        TargetProcess process;
        try {
            process = TargetProcess.start(command, plan.environment(target, scenario), port, plan.root(), log);
        } catch (IOException e) {
            progress.line("%s FAILED to start: %s", tag, e.getMessage());
            return failed(seq, scenario, target, repeat, startedAt, "could not start: " + e.getMessage(), command, port, 0, logName,
                    null, null, notes);
        }
        long pid = process.pid();
        progress.line("%s started pid %d on port %d (%s)", tag, pid, port, CpuPinning.describeServer(plan.serverCpus()));
        JvmTelemetry telemetry = null;
        try {
            Readiness ready = ReadinessProbe.await(process, HOST, port, target.probePath(), plan.readyTimeout());
            Readiness notReady = ready.ready() ? null : ready;
            if (notReady == null) {
                progress.line("%s first response %.0f ms after start (%d probe attempts, %d refused, %d errors)", tag,
                        ready.timeToFirstResponseMs(), ready.attempts(), ready.refused(), ready.errorCount());
            }
            if (notReady == null && ScenarioCatalog.needsDatabase(scenario.name())) {
                // A target may answer before its database is ready (Covet's demo migrates in a startup task and
                // answers 503 "starting" meanwhile): warm up once /db answers, and say how long that took.
                Readiness database = ReadinessProbe.await(process, HOST, port, "/db", plan.readyTimeout());
                if (database.ready()) {
                    String waited = String.format(java.util.Locale.ROOT, "database ready (/db answered 2xx) %.0f ms after"
                            + " start, after %d attempts that were not yet 2xx", database.timeToFirstResponseMs(),
                            database.attempts() - 1);
                    progress.line("%s %s", tag, waited);
                    notes.add(waited);
                    pinDatabase(tag, null);
                } else {
                    notReady = database;
                }
            }
            if (notReady != null) {
                TargetProcess.Stopped stopped = process.stop(plan.stopTimeout());
                String why = notReady.failure() + "; log tail:\n" + process.logTail(15);
                progress.line("%s FAILED: %s (exit %s)", tag, notReady.failure(), stopped.exitCode());
                return failed(seq, scenario, target, repeat, startedAt, why, command, port, pid, logName,
                        new Warmup(ready, null, null, true), stopped, notes);
            }

            Workload workload = Workload.of(scenario);
            boolean login = scenario.name().equals(LoginIsolation.NAME);
            // Built-in targets declare their scenarios (TargetRegistry) and are not started for a scenario they lack; this
            // catches a target that declares none (a --targets-file entry without "scenarios") and has no such endpoint.
            String missing = null;
            if (workload.webSocket()) {
                int status = UpgradeProbe.status(HOST, port, scenario.path(), (int) plan.timeout().toMillis());
                if (UpgradeProbe.notImplemented(status)) {
                    missing = "the target answers " + status + " to a WebSocket upgrade on " + scenario.path();
                } else if (status != 101) {
                    throw new IllegalStateException("the target answers " + status + " to a WebSocket upgrade on " + scenario.path());
                }
            } else if (login) {
                int status = LoginIsolation.routeStatus(process, HOST, port, plan.readyTimeout(), plan.login().loginTimeout());
                if (UpgradeProbe.notImplemented(status)) {
                    missing = "the target answers " + status + " to POST " + LoginIsolation.PATH;
                }
            }
            if (missing != null) {
                TargetProcess.Stopped stopped = process.stop(plan.stopTimeout());
                progress.line("%s not implemented: %s", tag, missing);
                notes.add(missing);
                return new RunResult(seq, scenario.name(), target.name(), repeat, startedAt, RunResult.NOT_IMPLEMENTED, false, null,
                        command, CpuPinning.describeServer(plan.serverCpus()), port, pid, logName, process.transportLine(), null,
                        new Warmup(ready, null, null, ready.errorCount() > 0), null, null, null, null, null, null, stopped.exitCode(),
                        stopped.stoppedWith(), notes, null, null);
            }

            long attachStart = System.nanoTime();
            telemetry = target.isJvm() ? JvmTelemetry.attach(pid, 15) : JvmTelemetry.unavailable("not a JVM target");
            JvmInfo jvm = null;
            String jvmUnavailable = telemetry.unavailableReason();
            if (telemetry.available()) {
                try {
                    jvm = telemetry.info();
                } catch (Exception e) {
                    jvmUnavailable = "JMX read failed: " + JvmTelemetry.describe(e);
                }
            }
            if (jvmUnavailable != null) {
                progress.line("%s JVM figures unavailable: %s", tag, jvmUnavailable);
            } else {
                progress.line("%s attached to the target JVM in %.0f ms (%s %s)", tag, (System.nanoTime() - attachStart) / 1e6, jvm.vmName(),
                        jvm.vmVersion());
            }

            ConnectionsResult connections = null;
            WorldWriteCheck writes = plan.writeChecks().get(scenario.name());
            int[] worldBefore = writes == null ? null : writes.snapshot();
            PhaseResult warm = null;
            PhaseResult measure;
            ServerCost cost;
            ClientCost client;
            Contention contention;
            String clientTransport;
            LoginIsolationResult loginResult = null;
            boolean loginWarmupErrors = false;
            if (login) {
                JvmTelemetry attached = telemetry;
                LoginIsolation.Measured m = LoginIsolation.measure(HOST, port, scenario, plan.login(), plan,
                        () -> new Window(pid, attached, effectiveServerCpus, effectiveClientCpus), clientCpuCount, progress, tag);
                warm = m.warmup();
                measure = m.logins();
                cost = m.server();
                client = m.client();
                contention = m.contention();
                clientTransport = m.clientTransport();
                loginResult = m.result();
                loginWarmupErrors = m.warmupErrors();
                notes.addAll(loginResult.notes());
            } else {
                ConnectionPlan connecting = null;
                LoadSpec spec;
                if (workload == Workload.REQUESTS) {
                    spec = new LoadSpec(HOST, port, scenario, plan.connections(), scenario.depth(plan.pipeline()), plan.rate(),
                            plan.timeout(), plan.clientThreads(), plan.parser());
                } else {
                    connecting = ConnectionPlan.prepare(workload, plan.scale(), pid);
                    spec = connecting.spec(HOST, port, scenario, plan.scale(), plan.timeout(), plan.clientThreads(), plan.parser());
                    progress.line("%s %s", tag, connecting.describe());
                }
                try (LoadGenerator gen = new LoadGenerator(spec, progress.stream(),
                        connecting == null ? ConnectOptions.DEFAULT : connecting.options())) {
                    clientTransport = gen.transport();
                    ServerMemory before = null;
                    LoadGenerator.Ramp ramp = null;
                    if (connecting != null) {
                        before = workload.connectionScale() ? ServerMemory.sample(pid, telemetry) : null;
                        ramp = gen.ramp(plan.scale().rampRate());
                        progress.line("%s ramp %.1f s: %,d of %,d open, %,d failed%s%s", tag, ramp.seconds(), ramp.established(),
                                ramp.connections(), ramp.failed(), ramp.unresolved() > 0 ? ", " + ramp.unresolved() + " unresolved" : "",
                                ramp.failures().isEmpty() ? "" : " " + ramp.failures());
                    }
                    if (!plan.warmup().isZero()) {
                        warm = gen.runPhase("warmup", plan.warmup());
                        progress.line("%s warm-up %.1f s: %d requests, %d errors%s", tag, warm.seconds(), warm.requests(),
                                warm.errorCount(), warm.errorCount() > 0 ? " " + nonZero(warm.errors()) : "");
                    }
                    List<Long> databasePids = ScenarioCatalog.needsDatabase(scenario.name())
                            ? pinDatabase(tag, notes) // again: the target may have opened connections while warming up
                            : List.of();
                    Window w = new Window(pid, telemetry, effectiveServerCpus, effectiveClientCpus);
                    w.countAsDatabase(databasePids);
                    w.begin();
                    measure = gen.runPhase("measure", plan.duration());
                    w.end();
                    cost = w.serverCost(measure.successes());
                    client = w.clientCost(clientCpuCount);
                    contention = w.contention();
                    if (connecting != null) {
                        int open = gen.openConnections();
                        ServerMemory plateau = workload.connectionScale() ? ServerMemory.sample(pid, telemetry) : null;
                        connections = connecting.result(ramp, open, before, plateau, measure, gen.deliveries());
                        progress.line("%s %s", tag, describe(connections));
                    }
                }
            }
            notes.addAll(observations(measure, cost, client, contention));
            String writeProblem = null;
            if (writes != null) {
                int[] after = writes.snapshot();
                long answered = measure.successes() + (warm == null ? 0 : warm.successes());
                writeProblem = writes.problem(worldBefore, after, answered);
                notes.add(writeProblem != null ? writeProblem : writes.summary(worldBefore, after, answered));
                if (writeProblem != null) {
                    progress.line("%s %s", tag, writeProblem);
                }
            }
            Long p99 = measure.latency().p99Us();
            progress.line("%s measured %.1f s: %.0f req/s, p99 %s ms, %d errors%s; server %s", tag, measure.seconds(), measure.rps(),
                    Figures.ms(p99 == null ? null : p99.doubleValue()), measure.errorCount(),
                    measure.errorCount() > 0 ? " " + nonZero(measure.errors()) : "",
                    cost.requestsPerCpuSecond() == null ? "CPU unavailable: " + cost.cpuUnavailable()
                            : String.format("%.0f req per CPU-second", cost.requestsPerCpuSecond()));

            if (!process.isAlive()) {
                notes.add("the target exited by itself during the run, with code " + process.exitCodeIfEnded());
            }
            telemetry.close();
            telemetry = null;
            TargetProcess.Stopped stopped = process.stop(plan.stopTimeout());
            boolean cleanExit = stopped.stoppedWith().equals("SIGTERM") && stopped.exitCode() != null
                    && (stopped.exitCode() == 143 || stopped.exitCode() == 0);
            if (!cleanExit) {
                notes.add("stop was not clean: " + stopped.stoppedWith() + ", exit code " + stopped.exitCode());
            }
            progress.line("%s stop: %s, gone after %.2f s, exit code %s", tag, stopped.stoppedWith(), stopped.seconds(), stopped.exitCode());

            boolean warmErrors = ready.errorCount() > 0 || (warm != null && warm.errorsFlag()) || loginWarmupErrors;
            boolean errors = warmErrors || measure.errorsFlag() || !cleanExit || writeProblem != null
                    || (connections != null && connections.anyFailed()) || (loginResult != null && loginResult.anyErrors());
            Warmup warmup = new Warmup(ready, warm != null ? warm.firstRequestLatencyUs() : measure.firstRequestLatencyUs(), warm, warmErrors);
            return new RunResult(seq, scenario.name(), target.name(), repeat, startedAt, errors ? "errors" : "ok", errors, null, command,
                    CpuPinning.describeServer(plan.serverCpus()), port, pid, logName, process.transportLine(), clientTransport, warmup,
                    measure, cost, client, contention, jvm, jvmUnavailable, stopped.exitCode(), stopped.stoppedWith(), notes, connections,
                    loginResult);
        } catch (Exception e) {
            TargetProcess.Stopped stopped = process.stop(plan.stopTimeout());
            progress.line("%s FAILED: %s", tag, e);
            return failed(seq, scenario, target, repeat, startedAt, "harness error: " + e, command, port, pid, logName, null, stopped, notes);
        } finally {
            if (telemetry != null) {
                telemetry.close();
            }
            process.stop(plan.stopTimeout());
        }
    }

    /**
     * Moves the database's backends off the server's CPUs ({@link DatabasePinning}); the outcome goes to
     * {@code notes} if given. Returns the backends pinned.
     */
    private List<Long> pinDatabase(String tag, List<String> notes) {
        DatabasePinning.Pinned pinned = plan.databasePinning() == null ? null : plan.databasePinning().pin();
        if (pinned == null) {
            return List.of();
        }
        progress.line("%s %s", tag, pinned.description());
        if (notes != null) {
            notes.add(pinned.description());
        }
        return pinned.pids();
    }

    private static String describe(ConnectionsResult c) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%,d connection(s) open at the end of %,d asked, %,d failed",
                c.openAtEnd(), c.asked(), c.failedConnections()));
        if (c.requestSuccessRate() != null) {
            sb.append(String.format(java.util.Locale.ROOT, "; %.3f%% of due requests succeeded", 100 * c.requestSuccessRate()));
        }
        if (c.rssPerConnectionBytes() != null) {
            sb.append(String.format(java.util.Locale.ROOT, "; server RSS %.0f B and heap %s B per connection", c.rssPerConnectionBytes(),
                    c.heapPerConnectionBytes() == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.0f", c.heapPerConnectionBytes())));
        }
        if (c.deliveries() != null) {
            sb.append(String.format(java.util.Locale.ROOT, "; %,d receipts by %,d receivers, p99 %s ms", c.deliveries().deliveries(),
                    c.deliveries().receivers(), Figures.ms(c.deliveries().latency().p99Us() == null ? null
                            : c.deliveries().latency().p99Us().doubleValue())));
        }
        return sb.toString();
    }

    /** What a reader of one run must know to trust (or not) its figures. */
    static List<String> observations(PhaseResult measure, ServerCost cost, ClientCost client, Contention contention) {
        List<String> notes = new ArrayList<>();
        if (client.saturated()) {
            notes.add(String.format("the load generator used %.0f%% of its %d CPU(s): throughput here is what the client could"
                    + " drive, a floor for the server", 100 * client.cpuUtilisation() / client.cpus(), client.cpus()));
        }
        if (contention.serverCpusByOthers() != null && contention.serverCpusByOthers() > Contention.DISTURBED) {
            notes.add(String.format("disturbed: other processes used %.0f%% of the server CPU(s) during the window",
                    100 * contention.serverCpusByOthers()));
        }
        if (contention.clientCpusByOthers() != null && contention.clientCpusByOthers() > Contention.DISTURBED) {
            notes.add(String.format("disturbed: other processes used %.0f%% of the load generator's CPU(s) during the window",
                    100 * contention.clientCpusByOthers()));
        }
        if (contention.steal() != null && contention.steal() > Contention.DISTURBED) {
            notes.add(String.format("disturbed: the hypervisor stole %.0f%% of the pinned CPUs' time", 100 * contention.steal()));
        }
        if (cost.jitCpuSeconds() != null && cost.cpuSeconds() != null && cost.jitCpuSeconds() > 0.05 * cost.cpuSeconds()) {
            notes.add(String.format("the target was still JIT-compiling: its compiler threads used %.2f s of CPU in the window"
                    + " (%.0f%% of its CPU); a longer --warmup would leave that out", cost.jitCpuSeconds(),
                    100 * cost.jitCpuSeconds() / cost.cpuSeconds()));
        }
        if (measure.unsent() > 0) {
            notes.add("fixed rate not sustained: " + measure.unsent() + " requests were due but never sent");
        }
        return notes;
    }

    private RunResult failed(int seq, Scenario s, TargetSpec t, int repeat, String startedAt, String why, List<String> command, int port,
            long pid, String logName, Warmup warmup, TargetProcess.Stopped stopped, List<String> notes) {
        return new RunResult(seq, s.name(), t.name(), repeat, startedAt, "failed", true, why, command,
                CpuPinning.describeServer(plan.serverCpus()), port, pid, logName, null, null, warmup, null, null, null, null, null, null,
                stopped == null ? null : stopped.exitCode(), stopped == null ? null : stopped.stoppedWith(), notes, null, null);
    }

    private static String nonZero(Map<String, Long> errors) {
        StringBuilder sb = new StringBuilder("(");
        errors.forEach((k, v) -> {
            if (v > 0) {
                sb.append(sb.length() > 1 ? ", " : "").append(k).append(' ').append(v);
            }
        });
        return sb.append(')').toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    /** Server and client counters at the two edges of the measured window. */
    private static final class Window implements LoginIsolation.Window {
        private final long pid;
        private final JvmTelemetry telemetry;
        private final long self = ProcessHandle.current().pid();
        private long t0;
        private long t1;
        private Long cpu0;
        private Long cpu1;
        private long self0;
        private long self1;
        /** The database backends pinned to the client CPUs, and their CPU ticks at the window's start and end. */
        private List<Long> databasePids = List.of();
        private Map<Long, Long> database0 = Map.of();
        private Map<Long, Long> database1 = Map.of();
        private JvmTelemetry.Sample jvm0;
        private JvmTelemetry.Sample jvm1;
        private String cpuProblem;
        private String jvmProblem;
        private Long hwm;
        private Long rss;
        private final String serverCpus;
        private final String clientCpus;
        private long[] server0;
        private long[] server1;
        private long[] client0;
        private long[] client1;
        private Double load0;
        private Double load1;
        private Map<Long, Long> jit0;
        private Map<Long, Long> jit1;
        private Map<Long, Long> selfJit0;
        private Map<Long, Long> selfJit1;

        Window(long pid, JvmTelemetry telemetry, String serverCpus, String clientCpus) {
            this.pid = pid;
            this.telemetry = telemetry;
            this.jvmProblem = telemetry.unavailableReason();
            this.serverCpus = serverCpus;
            this.clientCpus = clientCpus;
        }

        /** Counts these processes' CPU on the client CPUs as the database's, not as other processes'. */
        void countAsDatabase(List<Long> pids) {
            databasePids = List.copyOf(pids);
        }

        private Map<Long, Long> databaseTicks() {
            Map<Long, Long> ticks = new java.util.HashMap<>();
            for (long p : databasePids) {
                try {
                    ticks.put(p, LinuxProc.cpuTicks(p));
                } catch (IOException | RuntimeException ended) {
                    // the backend ended (its connection closed): its time cannot be told apart, so it stays in "others"
                }
            }
            return ticks;
        }

        private void readCpus(boolean start) {
            try {
                long[] s = serverCpus.equals(CpuPinning.NONE) ? null : LinuxProc.cpuTicks(serverCpus);
                long[] c = clientCpus.equals(CpuPinning.NONE) ? null : LinuxProc.cpuTicks(clientCpus);
                double l = LinuxProc.loadAverage();
                if (start) {
                    server0 = s;
                    client0 = c;
                    load0 = l;
                } else {
                    server1 = s;
                    client1 = c;
                    load1 = l;
                }
            } catch (IOException | RuntimeException e) {
                // /proc/stat unreadable: contention stays unknown (null), which the report shows as n/a.
            }
        }

        @Override
        public Contention contention() {
            Double sBusy = null;
            Double sOthers = null;
            Double cBusy = null;
            Double cOthers = null;
            long stealTicks = 0;
            long totalTicks = 0;
            if (server0 != null && server1 != null) {
                long total = server1[2] - server0[2];
                if (total > 0) {
                    long busy = server1[0] - server0[0];
                    sBusy = busy / (double) total;
                    if (cpu0 != null && cpu1 != null) {
                        sOthers = Math.max(0, busy - (cpu1 - cpu0)) / (double) total;
                    }
                    stealTicks += server1[1] - server0[1];
                    totalTicks += total;
                }
            }
            Double cDatabase = null;
            if (client0 != null && client1 != null) {
                long total = client1[2] - client0[2];
                if (total > 0) {
                    long busy = client1[0] - client0[0];
                    long database = 0;
                    for (Map.Entry<Long, Long> end : database1.entrySet()) {
                        Long start = database0.get(end.getKey());
                        database += start == null ? 0 : end.getValue() - start;
                    }
                    cBusy = busy / (double) total;
                    cDatabase = databasePids.isEmpty() ? null : database / (double) total;
                    cOthers = Math.max(0, busy - (self1 - self0) - database) / (double) total;
                    stealTicks += client1[1] - client0[1];
                    totalTicks += total;
                }
            }
            return new Contention(sBusy, sOthers, cBusy, cOthers, cDatabase, totalTicks > 0 ? stealTicks / (double) totalTicks : null,
                    load0, load1);
        }

        @Override
        public void begin() {
            // JMX first and /proc last, so the JMX call's own CPU cost falls outside the CPU window.
            if (telemetry.available()) {
                try {
                    jvm0 = telemetry.sample();
                } catch (Exception e) {
                    jvmProblem = "JMX read at window start failed: " + JvmTelemetry.describe(e);
                }
            }
            jit0 = jitTicks(pid);
            try {
                cpu0 = LinuxProc.cpuTicks(pid);
            } catch (IOException | RuntimeException e) {
                cpuProblem = "cannot read /proc/" + pid + "/stat at window start: " + e;
            }
            selfJit0 = jitTicks(self);
            self0 = selfTicks();
            database0 = databaseTicks();
            readCpus(true);
            t0 = System.nanoTime();
        }

        @Override
        public void end() {
            t1 = System.nanoTime();
            readCpus(false);
            self1 = selfTicks();
            database1 = databaseTicks();
            selfJit1 = jitTicks(self);
            try {
                cpu1 = LinuxProc.cpuTicks(pid);
                jit1 = jitTicks(pid);
                hwm = LinuxProc.statusKb(pid, "VmHWM");
                rss = LinuxProc.statusKb(pid, "VmRSS");
            } catch (IOException | RuntimeException e) {
                if (cpuProblem == null) {
                    cpuProblem = "cannot read /proc/" + pid + " at window end (did the target exit?): " + e;
                }
            }
            if (jvm0 != null) {
                try {
                    jvm1 = telemetry.sample();
                } catch (Exception e) {
                    jvmProblem = "JMX read at window end failed (did the target exit?): " + JvmTelemetry.describe(e);
                }
            }
        }

        private Double jitCpu() {
            return jitCpu(jit0, jit1);
        }

        private static Double jitCpu(Map<Long, Long> before, Map<Long, Long> after) {
            if (before == null || after == null) {
                return null;
            }
            long ticks = 0;
            for (var e : after.entrySet()) {
                ticks += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
            return Math.max(0, ticks) / (double) LinuxProc.clockTicksPerSecond();
        }

        private static Map<Long, Long> jitTicks(long pid) {
            try {
                return LinuxProc.threadTicks(pid, "CompilerThre");
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        private long selfTicks() {
            try {
                return LinuxProc.cpuTicks(self);
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public ServerCost serverCost(long successes) {
            double seconds = (t1 - t0) / 1e9;
            Double cpu = null;
            Double per1k = null;
            Double perCpu = null;
            Double util = null;
            String cpuWhy = cpuProblem;
            if (cpu0 != null && cpu1 != null) {
                cpu = (cpu1 - cpu0) / (double) LinuxProc.clockTicksPerSecond();
                util = cpu / seconds;
                if (successes == 0) {
                    cpuWhy = "no successful request in the window";
                } else if (cpu == 0) {
                    cpuWhy = "the target used less than one clock tick (" + 1000 / LinuxProc.clockTicksPerSecond()
                            + " ms) of CPU: window too short to measure";
                } else {
                    per1k = cpu / (successes / 1000.0);
                    perCpu = successes / cpu;
                }
            }
            Long alloc = null;
            Double allocPer = null;
            Long gcCount = null;
            Long gcTime = null;
            Map<String, long[]> by = null;
            String jvmWhy = jvmProblem;
            if (jvm0 != null && jvm1 != null) {
                alloc = jvm1.allocatedBytes() - jvm0.allocatedBytes();
                allocPer = successes > 0 ? alloc / (double) successes : null;
                gcCount = jvm1.gcCount() - jvm0.gcCount();
                gcTime = jvm1.gcTimeMs() - jvm0.gcTimeMs();
                by = new java.util.LinkedHashMap<>();
                for (var e : jvm1.byCollector().entrySet()) {
                    long[] before = jvm0.byCollector().getOrDefault(e.getKey(), new long[2]);
                    by.put(e.getKey(), new long[] {e.getValue()[0] - before[0], e.getValue()[1] - before[1]});
                }
                if (successes == 0) {
                    jvmWhy = "no successful request in the window";
                }
            }
            return new ServerCost(cpu, per1k, perCpu, util, perCpu == null ? cpuWhy : null, hwm, rss, alloc, allocPer, gcCount, gcTime,
                    by, jitCpu(), allocPer == null ? jvmWhy : null);
        }

        @Override
        public ClientCost clientCost(int cpus) {
            double seconds = (t1 - t0) / 1e9;
            double cpu = (self1 - self0) / (double) LinuxProc.clockTicksPerSecond();
            double util = cpu / seconds;
            return new ClientCost(cpu, util, jitCpu(selfJit0, selfJit1), cpus, util >= 0.9 * cpus);
        }
    }
}
