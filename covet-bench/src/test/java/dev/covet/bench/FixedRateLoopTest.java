package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The fixed-rate scheduler measures latency from the scheduled time, not from the late send. */
class FixedRateLoopTest {
    private static final long MS = 1_000_000;

    /** A connection stand-in: records intended times; responses are completed by hand. */
    static final class FakeSender implements Pacing.Sender {
        final List<Long> intended = new ArrayList<>();
        final List<Long> latencies = new ArrayList<>();
        final int depth;
        int inFlight;
        long wake = -1;

        FakeSender(int depth) {
            this.depth = depth;
        }

        @Override
        public boolean canSend() {
            return true;
        }

        @Override
        public int inFlight() {
            return inFlight;
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public void send(long intendedNanos) {
            intended.add(intendedNanos);
            inFlight++;
        }

        @Override
        public void wakeAt(long nanos) {
            wake = nanos;
        }

        /** The oldest request is answered at {@code now}; latency as Connection computes it. */
        void respond(long now) {
            long sent = intended.size() - inFlight;
            latencies.add(now - intended.get((int) sent));
            inFlight--;
        }
    }

    @Test
    void aStalledResponseMakesTheRequestsBehindItCountTheirWait() {
        FixedRateLoop loop = new FixedRateLoop(10 * MS, 0);
        FakeSender s = new FakeSender(1);
        loop.beginPhase(0, 100 * MS);

        loop.pump(s, 0);
        assertThat(s.intended).containsExactly(0L);
        // The server stalls: the response to the first request comes at 35 ms.
        s.respond(35 * MS);
        loop.pump(s, 35 * MS);
        s.respond(36 * MS);
        loop.pump(s, 36 * MS);
        s.respond(37 * MS);
        loop.pump(s, 37 * MS);
        s.respond(38 * MS);
        loop.pump(s, 38 * MS);

        // Requests due at 10, 20, 30 ms left late, but carry their due time...
        assertThat(s.intended).containsExactly(0L, 10 * MS, 20 * MS, 30 * MS);
        // ...so their latency includes the stall: 35, 26, 17, 8 ms, not 35, 1, 1, 1.
        assertThat(s.latencies).containsExactly(35 * MS, 26 * MS, 17 * MS, 8 * MS);
        // Nothing was due at 38 ms: wake at the next slot.
        assertThat(s.wake).isEqualTo(40 * MS);
        assertThat(loop.unsent(100 * MS)).as("slots 40..90 ms not sent yet").isEqualTo(6);
    }

    @Test
    void slotsAtOrAfterTheEndAreNeverSentAndUnsentCountsTheBacklog() {
        FixedRateLoop loop = new FixedRateLoop(10 * MS, 3 * MS);
        FakeSender s = new FakeSender(2);
        loop.beginPhase(1000 * MS, 1050 * MS);
        loop.pump(s, 999 * MS);
        assertThat(s.intended).isEmpty();
        assertThat(s.wake).isEqualTo(1003 * MS);
        loop.pump(s, 1100 * MS);
        assertThat(s.intended).as("depth 2 limits the burst").containsExactly(1003 * MS, 1013 * MS);
        assertThat(loop.unsent(1050 * MS)).as("1023, 1033, 1043 due, never sent").isEqualTo(3);
        s.respond(1101 * MS);
        s.respond(1101 * MS);
        loop.pump(s, 1101 * MS);
        assertThat(s.intended).hasSize(4);
        loop.pump(s, 2000 * MS);
        s.respond(2000 * MS);
        loop.pump(s, 2000 * MS);
        assertThat(s.intended).as("nothing at or after the end").hasSize(5).allMatch(t -> t < 1050 * MS);
        assertThat(loop.unsent(1050 * MS)).isZero();
    }

    @Test
    void onTheWireAServerStallShowsInManySamplesAtFixedRateButOneInClosedLoop() throws Exception {
        long atFixedRate = slowSamples(200);
        long closedLoop = slowSamples(0);
        // One connection, a request every 5 ms, the 40th response held back 250 ms: the ~50
        // requests due during the stall wait too, and fixed-rate mode measures that.
        assertThat(atFixedRate).as("fixed rate: requests due during the stall count it").isGreaterThanOrEqualTo(15);
        // Closed loop sees the stalled request itself (and, on a busy machine, perhaps a stray hiccup or two).
        assertThat(closedLoop).as("closed loop: only the stalled request itself").isLessThanOrEqualTo(3);
    }

    private static long slowSamples(double rate) throws Exception {
        try (RawNettyServer server = new RawNettyServer(0, 1, 0, 40, 250);
                LoadGenerator gen = new LoadGenerator(new LoadSpec("127.0.0.1", server.port(), Scenario.plaintext(), 1, 1, rate,
                        Duration.ofSeconds(2), 1), System.err)) {
            PhaseResult r = gen.runPhase("measure", Duration.ofMillis(1000));
            assertThat(r.errorsFlag()).as(r.errors().toString()).isFalse();
            Histogram h = LatencySummary.decode(r.latency().histogram());
            assertThat(h.getTotalCount()).isEqualTo(r.requests());
            if (rate > 0) {
                assertThat(r.unsent()).as("the backlog after the stall was caught up").isLessThanOrEqualTo(10);
            }
            return h.getCountBetweenValues(100_000, h.getHighestTrackableValue());
        }
    }
}
