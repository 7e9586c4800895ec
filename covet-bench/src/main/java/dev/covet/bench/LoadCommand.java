package dev.covet.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench load}: the load generator alone, against a server that is already running on
 * loopback, printing a wrk-like summary. Meant for cross-checking the generator against wrk on
 * the same server instance, and for poking at a server by hand. No process is started, no
 * server-side figure is read.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Loads a server already listening on 127.0.0.1 and prints what the load generator measured (like wrk).")
public final class LoadCommand implements Callable<Integer> {

    @Option(names = "--port", required = true, description = "Port on 127.0.0.1.")
    int port;

    @Option(names = "--scenario", defaultValue = "plaintext", description = "plaintext, json or echo (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--connections", defaultValue = "64", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--pipeline", defaultValue = "1", description = "Pipelining depth for plaintext (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--rate", defaultValue = "0", description = "Fixed-rate mode at this total rate; 0 = closed loop (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--warmup", defaultValue = "0s", converter = DurationConverter.class, description = "Warm-up (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class, description = "Measured window (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class, description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--client-threads", defaultValue = "1", description = "Event-loop threads (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--client-parser", defaultValue = "COVET", description = "COVET (default) or NETTY (HttpResponseDecoder).")
    LoadSpec.Parser clientParser;

    @Option(names = "--client-cpus", defaultValue = "0", description = "CPU list to pin this process to, or none (default: ${DEFAULT-VALUE}).")
    String clientCpus;

    @Option(names = "--server-pid", description = "PID of the server: its CPU over the window is read from /proc and reported.")
    Long serverPid;

    @Option(names = "--server-cpus", defaultValue = "1",
            description = "CPU list the server runs on, for the contention report only (default: ${DEFAULT-VALUE}).")
    String serverCpus;

    @Option(names = "--json", description = "Print the phase result as JSON instead of the summary.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (ScenarioCatalog.isConnectionScenario(scenario)) {
            spec.commandLine().getErr().println("bench load runs request scenarios only; '" + scenario
                    + "' is a connection scenario: run it with bench --scenarios " + scenario);
            return 2;
        }
        Scenario s = Scenario.byName(scenario);
        String pinning = CpuPinning.pinSelf(CpuPinning.validate(clientCpus), System.err);
        LoadSpec ls = new LoadSpec(BenchSession.HOST, port, s, connections, s.depth(pipeline), rate, timeout, clientThreads, clientParser);
        String cCpus = CpuPinning.validate(clientCpus);
        String sCpus = CpuPinning.validate(serverCpus);
        long me = ProcessHandle.current().pid();
        double tck = LinuxProc.clockTicksPerSecond();
        PhaseResult r;
        long self0;
        long self1;
        long server0 = 0;
        long server1 = 0;
        long[] cc0 = null;
        long[] cc1 = null;
        long[] sc0 = null;
        long[] sc1 = null;
        java.util.Map<Long, Long> jit0;
        java.util.Map<Long, Long> jit1;
        String transport;
        try (LoadGenerator gen = new LoadGenerator(ls, System.err)) {
            transport = gen.transport();
            if (!warmup.isZero()) {
                gen.runPhase("warmup", warmup);
            }
            if (serverPid != null) {
                server0 = LinuxProc.cpuTicks(serverPid);
            }
            if (!cCpus.equals(CpuPinning.NONE) && !sCpus.equals(CpuPinning.NONE)) {
                cc0 = LinuxProc.cpuTicks(cCpus);
                sc0 = LinuxProc.cpuTicks(sCpus);
            }
            jit0 = LinuxProc.threadTicks(me, "CompilerThre");
            self0 = LinuxProc.cpuTicks(me);
            r = gen.runPhase("measure", duration);
            self1 = LinuxProc.cpuTicks(me);
            jit1 = LinuxProc.threadTicks(me, "CompilerThre");
            if (cc0 != null) {
                cc1 = LinuxProc.cpuTicks(cCpus);
                sc1 = LinuxProc.cpuTicks(sCpus);
            }
            if (serverPid != null) {
                server1 = LinuxProc.cpuTicks(serverPid);
            }
        }
        double clientCpu = (self1 - self0) / tck;
        long jitTicks = 0;
        for (var e : jit1.entrySet()) {
            jitTicks += e.getValue() - jit0.getOrDefault(e.getKey(), 0L);
        }
        double clientJit = jitTicks / tck;
        if (json) {
            out.println(Report.json().writeValueAsString(r));
        } else {
            LatencySummary l = r.latency();
            out.println(String.format(Locale.ROOT, "covet-bench load: http://%s:%d%s, %s, %d connections, depth %d, %s, %s parser, client %s, %s",
                    BenchSession.HOST, port, s.path(), r.mode(), connections, ls.depth(), transport, clientParser, pinning,
                    Figures.seconds(duration)));
            out.println(String.format(Locale.ROOT, "  latency ms: p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (failures included)",
                    ms(l.p50Us()), ms(l.p90Us()), ms(l.p99Us()), ms(l.p999Us()), ms(l.maxUs())));
            out.println(String.format(Locale.ROOT, "  %d requests in %.2f s: %d ok, %d errors %s%s", r.requests(), r.seconds(), r.successes(),
                    r.errorCount(), r.errors(), r.unsent() > 0 ? ", " + r.unsent() + " due but unsent" : ""));
            out.println(String.format(Locale.ROOT, "  Requests/sec: %.2f   (client CPU %.2f s = %.0f%% of one core, of which JIT %.2f s)",
                    r.rps(), clientCpu, 100 * clientCpu / r.seconds(), clientJit));
            if (serverPid != null) {
                double serverCpu = (server1 - server0) / tck;
                out.println(String.format(Locale.ROOT, "  server pid %d: CPU %.2f s, %s requests per server CPU-second", serverPid, serverCpu,
                        serverCpu > 0 ? Figures.number(r.successes() / serverCpu) : "n/a"));
            }
            if (cc1 != null) {
                double othersClient = Math.max(0, (cc1[0] - cc0[0]) - (self1 - self0)) / (double) (cc1[2] - cc0[2]);
                double othersServer = serverPid == null ? Double.NaN
                        : Math.max(0, (sc1[0] - sc0[0]) - (server1 - server0)) / (double) (sc1[2] - sc0[2]);
                out.println(String.format(Locale.ROOT, "  other processes used %.0f%% of CPU(s) %s%s", 100 * othersClient, cCpus,
                        serverPid == null ? "" : String.format(Locale.ROOT, " and %.0f%% of CPU(s) %s", 100 * othersServer, sCpus)));
            }
        }
        out.flush();
        return r.errorsFlag() ? 1 : 0;
    }

    private static String ms(Long us) {
        return us == null ? "n/a" : Figures.ms(us.doubleValue());
    }
}
