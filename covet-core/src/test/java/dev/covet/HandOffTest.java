package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Handlers started together (one I/O pass, {@code dev.covet.internal.HandOff}) still answer each on its
 * own: a handler that blocks holds back no other response, and responses queued without waking the
 * I/O thread are always delivered.
 */
class HandOffTest {
    private static final CountDownLatch release = new CountDownLatch(1);

    @RegisterExtension
    // the watchdog's heartbeat wakes the I/O thread every threshold/4, which would hide a lost wake-up
    static final TestServer server = TestServer.create(config -> config.ioThreads(1)
            .blockedLoopThreshold(java.time.Duration.ofMinutes(1)), app -> {
        app.get("/blocked", ctx -> {
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            ctx.text("released");
        });
        app.get("/quick/{i:int}", ctx -> ctx.text("quick " + ctx.pathParam("i")));
    });

    @Test
    void aBlockedHandlerDoesNotHoldBackTheResponsesStartedWithIt() {
        List<RawHttp> clients = new ArrayList<>();
        try {
            RawHttp blocked = server.connect();
            clients.add(blocked);
            for (int i = 0; i < 8; i++) {
                clients.add(server.connect());
            }
            // written back to back, so that the I/O thread reads most of them in one pass
            blocked.send("GET /blocked HTTP/1.1\r\nHost: test\r\n\r\n");
            for (int i = 1; i < clients.size(); i++) {
                clients.get(i).send("GET /quick/" + i + " HTTP/1.1\r\nHost: test\r\n\r\n");
            }
            long start = System.nanoTime();
            for (int round = 0; round < 20; round++) { // and again, now that the first group is in flight
                // 168 round trips take well under a second; responses left queued until some other
                // event woke the I/O thread (its once-a-second timers) would take minutes. Not a
                // benchmark: a bound that only a lost wake-up can break.
                assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(20));
                for (int i = 1; i < clients.size(); i++) {
                    RawHttp.Response response = clients.get(i).read(); // fails after 5 s if held back
                    assertThat(response.text()).isEqualTo("quick " + i);
                    clients.get(i).send("GET /quick/" + i + " HTTP/1.1\r\nHost: test\r\n\r\n");
                }
            }
            for (int i = 1; i < clients.size(); i++) {
                assertThat(clients.get(i).read().text()).isEqualTo("quick " + i);
            }
            release.countDown();
            assertThat(blocked.read().text()).isEqualTo("released");
        } finally {
            release.countDown();
            clients.forEach(RawHttp::close);
        }
    }
}
