package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionPlanTest {
    private static ScaleSettings asking(int connections) {
        return new ScaleSettings(connections, Duration.ofSeconds(5), 2000, 0, 10, 64, 100, 10, 10);
    }

    @Test
    void connectionsBeyondTheHarnessOpenFileLimitAreNotAttemptedButCountedAsFailedWithTheLimit() throws Exception {
        long self = ProcessHandle.current().pid();
        OpenFiles.Limit limit = OpenFiles.limit(self);
        int asked = (int) Math.min(Integer.MAX_VALUE - 1, limit.hard() == Long.MAX_VALUE ? Integer.MAX_VALUE - 1 : limit.hard() * 4);
        // Our own process stands in for the target: only its limits and /proc entries are read.
        ConnectionPlan plan = ConnectionPlan.prepare(Workload.HTTP_CONNECTIONS, asking(asked), self);
        assertThat(plan.connections()).isLessThan(asked);
        LoadGenerator.Ramp ramp = new LoadGenerator.Ramp(plan.connections(), plan.connections(), plan.connections() - 3, 3, 3, 0,
                Map.of("connect", List.of("ConnectException: refused")), 1.0, 2000);
        PhaseResult measure = PhaseResult.of("measure", new LoadSpec("127.0.0.1", 1, ConnectionScenarios.connections(), 1, 1, 1,
                Duration.ofSeconds(1), 1), 0, 1, new PhaseRecorder());
        ConnectionsResult r = plan.result(ramp, plan.connections() - 3, null, null, measure, null);
        assertThat(r.notAttempted()).isEqualTo(asked - plan.connections());
        assertThat(r.failedConnections()).isEqualTo(r.notAttempted() + 3L);
        assertThat(r.anyFailed()).isTrue();
        assertThat(r.notAttemptedReason()).contains("open-file limit").contains(String.format(java.util.Locale.ROOT, "%,d", limit.hard()));
        assertThat(r.requestSuccessRate()).as("nothing was due").isNull();
    }

    @Test
    void sourceAddressesFollowTheEphemeralPortRange() throws Exception {
        int ports = SourceAddresses.ephemeralPorts();
        assertThat(SourceAddresses.choose(ports / 2, 0)).as("one address: the kernel chooses").isEmpty();
        assertThat(SourceAddresses.choose(ports * 2, 0)).hasSizeGreaterThanOrEqualTo(3)
                .allMatch(java.net.InetAddress::isLoopbackAddress);
        assertThat(SourceAddresses.choose(10, 4)).extracting(java.net.InetAddress::getHostAddress)
                .containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");
    }
}
