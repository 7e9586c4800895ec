package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protection against clients that hold resources without making progress: a header block that never
 * ends (slowloris), an idle keep-alive connection, more connections than {@code covet.max-connections}.
 */
class ConnectionProtectionTest {
    @RegisterExtension
    static final TestServer slow = TestServer.create(config -> config
            .headerReadTimeout(Duration.ofMillis(300)).idleTimeout(Duration.ofSeconds(30)));

    @RegisterExtension
    static final TestServer idle = TestServer.create(config -> config.idleTimeout(Duration.ofMillis(400)));

    @RegisterExtension
    static final TestServer limited = TestServer.create(config -> config.maxConnections(5));

    @Test
    void aStalledHeaderBlockIsAnswered408AndClosed() {
        try (RawHttp client = slow.connect()) {
            client.send("GET /hello HTTP/1.1\r\nHost: te");
            long start = System.nanoTime();
            RawHttp.Response response = client.read();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(response.header("Connection")).contains("close");
            assertThat(tookMs).isBetween(200L, 3000L);
            assertThat(client.closedByServer()).isTrue();
        }
        slow.assertServesNextClient();
    }

    @Test
    void aHeaderBlockTrickledByteByByteIsCutOffAtTheDeadline() {
        // slowloris proper: every byte resets an idle timer, but not the header deadline
        try (RawHttp client = slow.connect()) {
            String request = "GET /hello HTTP/1.1\r\nHost: test\r\nX-Slow: " + "a".repeat(100);
            long start = System.nanoTime();
            boolean cutOff = false;
            for (int i = 0; i < request.length() && !cutOff; i++) {
                try {
                    client.send(request.substring(i, i + 1));
                    Thread.sleep(20);
                } catch (RuntimeException | InterruptedException e) {
                    cutOff = true;
                }
                cutOff |= (System.nanoTime() - start) > Duration.ofSeconds(2).toNanos();
            }
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000L);
        }
        slow.assertServesNextClient();
    }

    @Test
    void theHeaderDeadlineAppliesToEachRequestOfAKeepAliveConnection() {
        try (RawHttp client = slow.connect()) {
            assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
            // waiting between requests is not slow sending: the clock starts with the next request's first byte
            assertThat(client.staysOpenFor(Duration.ofMillis(500))).isTrue();
            client.timeout(RawHttp.DEFAULT_TIMEOUT);
            assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
            client.send("GET /hello HTTP/1.1\r\n");
            assertThat(client.read().status()).isEqualTo(408);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aSlowHandlerIsNotMistakenForASlowClient() {
        try (RawHttp client = slow.connect()) {
            // 5 requests at 100 ms each: well past the header deadline in total, but each one is prompt
            for (int i = 0; i < 5; i++) {
                assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
                sleep(100);
            }
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() {
        try (RawHttp client = idle.connect()) {
            assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(client.closedByServer()).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 3000L);
        }
        idle.assertServesNextClient();
    }

    @Test
    void aBodyThatStopsArrivingOnANonBlockingRouteIsAnswered408() {
        // regression: a non-blocking route buffers its body before running, and nothing bounded a stalled body
        try (RawHttp client = idle.connect()) {
            client.send("POST /echo-nb HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nabc");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(client.closedByServer()).isTrue();
        }
        idle.assertServesNextClient();
    }

    @Test
    void aBodyThatStopsArrivingOnABlockingRouteIsAnswered408() {
        try (RawHttp client = idle.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(client.closedByServer()).isTrue();
        }
        idle.assertServesNextClient();
    }

    @Test
    void aConnectionThatNeverSendsAnythingIsClosedAfterTheIdleTimeout() {
        try (RawHttp client = idle.connect()) {
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void theConnectionOverTheLimitIsAnswered503AndClosedWhileTheOthersKeepWorking() {
        List<RawHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                RawHttp client = limited.connect();
                open.add(client);
                assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
            }
            try (RawHttp sixth = limited.connect()) {
                RawHttp.Response refused = sixth.read();
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Content-Type")).contains("application/problem+json");
                assertThat(refused.header("Retry-After")).isPresent();
                assertThat(sixth.closedByServer()).isTrue();
            }
            for (RawHttp client : open) {
                assertThat(client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
            }
        } finally {
            open.forEach(RawHttp::close);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (limited.app().openConnections() > 0 && System.nanoTime() < deadline) {
            sleep(10);
        }
        for (int i = 0; i < 5; i++) {
            limited.assertServesNextClient();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
