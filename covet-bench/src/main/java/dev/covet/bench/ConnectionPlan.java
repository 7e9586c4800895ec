package dev.covet.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How one run of a connection scenario opens its connections: how many (asked, and what the
 * harness's open-file limit leaves room for), over which source addresses, after raising the
 * open-file limits of the harness and of the target. Also turns what the run measured into a
 * {@link ConnectionsResult}.
 *
 * <p>Connections the harness cannot open for lack of file descriptors of its own are not
 * attempted (an attempt would fail with EMFILE and could starve the harness of the descriptors it
 * needs to read /proc and JMX); they are counted as failed, with the limit that stopped them.
 * The target gets no such care: if it cannot accept, that is what the run measures.
 */
final class ConnectionPlan {
    /** Descriptors the harness keeps for itself: jars, /proc reads, JMX, the target's log. */
    static final int CLIENT_RESERVE = 512;
    /** Descriptors a target is given on top of its connections. */
    static final int SERVER_HEADROOM = 1024;

    private final Workload workload;
    private final int asked;
    private final int connections;
    private final String notAttemptedReason;
    private final List<InetAddress> sources;
    private final String clientOpenFiles;
    private final String serverOpenFiles;
    private final List<String> notes;
    private final ConnectOptions options;

    private ConnectionPlan(Workload workload, int asked, int connections, String notAttemptedReason, List<InetAddress> sources,
            String clientOpenFiles, String serverOpenFiles, List<String> notes, ConnectOptions options) {
        this.workload = workload;
        this.asked = asked;
        this.connections = connections;
        this.notAttemptedReason = notAttemptedReason;
        this.sources = sources;
        this.clientOpenFiles = clientOpenFiles;
        this.serverOpenFiles = serverOpenFiles;
        this.notes = notes;
        this.options = options;
    }

    /** Raises the limits of the harness and of {@code targetPid}, and sizes the run. */
    static ConnectionPlan prepare(Workload workload, ScaleSettings s, long targetPid) throws IOException {
        int asked = s.connectionsOf(workload);
        long self = ProcessHandle.current().pid();
        List<String> notes = new ArrayList<>();
        String client = OpenFiles.raise(self, asked + (long) CLIENT_RESERVE);
        OpenFiles.Limit mine = OpenFiles.limit(self);
        long room = Math.max(0, Math.min(Integer.MAX_VALUE, mine.soft()) - OpenFiles.open(self) - CLIENT_RESERVE);
        int connections = (int) Math.min(asked, room);
        String reason = null;
        if (connections < asked) {
            reason = String.format(java.util.Locale.ROOT, "the load generator's open-file limit (%s) leaves room for %,d connections"
                    + " after %d descriptors kept for the harness; %s", mine, connections, CLIENT_RESERVE, client);
        }
        String server = OpenFiles.raise(targetPid, asked + (long) SERVER_HEADROOM);
        OpenFiles.Limit theirs = OpenFiles.limit(targetPid);
        long serverRoom = Math.min(Integer.MAX_VALUE, theirs.soft()) - OpenFiles.open(targetPid);
        if (serverRoom < connections) {
            notes.add(String.format(java.util.Locale.ROOT, "the target's open-file limit (%s) leaves room for about %,d more descriptors,"
                    + " fewer than the %,d connections tried: it cannot accept the rest", theirs, serverRoom, connections));
        }
        List<InetAddress> sources = SourceAddresses.choose(Math.max(1, connections), s.sourceAddresses());
        Duration cap = workload == Workload.HTTP_CONNECTIONS && s.interval().toMillis() > 100 ? s.interval() : Duration.ofMillis(100);
        return new ConnectionPlan(workload, asked, connections, reason, sources, client, server, notes, new ConnectOptions(sources, cap));
    }

    /** Connections to open: the asked ones the harness has descriptors for (at least 1, so a run is made). */
    int connections() {
        return Math.max(1, connections);
    }

    ConnectOptions options() {
        return options;
    }

    /** The load spec of this run; depth and rate follow the workload. */
    LoadSpec spec(String host, int port, Scenario scenario, ScaleSettings s, Duration timeout, int threads, LoadSpec.Parser parser) {
        int depth = workload == Workload.WS_ECHO || workload == Workload.WS_BROADCAST ? ScaleSettings.WS_DEPTH : 1;
        return new LoadSpec(host, port, scenario, connections(), depth, s.rateOf(workload, connections()), timeout, threads, parser);
    }

    /** One line for the progress display. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "%,d connection(s) asked, %,d to open over %s; harness files: %s; target files: %s",
                asked, connections(), sources.isEmpty() ? "one source address" : sources.size() + " source addresses", clientOpenFiles,
                serverOpenFiles);
    }

    /** The figures of the run. {@code before} and {@code plateau} are null for workloads that do not measure memory. */
    ConnectionsResult result(LoadGenerator.Ramp ramp, int openAtEnd, ServerMemory before, ServerMemory plateau, PhaseResult measure,
            BroadcastTracker.Deliveries deliveries) {
        int notAttempted = asked - connections();
        long failed = Math.max(0, notAttempted) + ramp.failed() + ramp.unresolved();
        List<String> all = new ArrayList<>(notes);
        Double rss = null;
        Double heap = null;
        // The plateau is read after the measured window, with openAtEnd connections open: divide by those.
        if (before != null && plateau != null && openAtEnd > 0) {
            rss = (plateau.rssKb() - before.rssKb()) * 1024.0 / openAtEnd;
            if (before.heapUsedBytes() != null && plateau.heapUsedBytes() != null) {
                heap = (plateau.heapUsedBytes() - before.heapUsedBytes()) / (double) openAtEnd;
            }
            long accepted = plateau.openFds() - before.openFds();
            if (Math.abs(accepted - openAtEnd) > Math.max(2, openAtEnd / 100)) {
                all.add(String.format(java.util.Locale.ROOT, "the target holds %,d more file descriptors than before, while %,d connections"
                        + " are open on the client side (closing connections, or ones the server never accepted): per-connection"
                        + " figures divide by the client's count", accepted, openAtEnd));
            }
        }
        long due = measure.requests() + measure.unsent();
        Double success = due == 0 ? null : measure.successes() / (double) due;
        return new ConnectionsResult(workload.protocol(), asked, Math.max(0, notAttempted), notAttemptedReason, ramp, failed, openAtEnd,
                sources.stream().map(InetAddress::getHostAddress).toList(), clientOpenFiles, serverOpenFiles, before, plateau, rss, heap,
                success, deliveries, all);
    }
}
