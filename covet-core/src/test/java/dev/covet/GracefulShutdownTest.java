package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.testkit.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

    @Test
    void inFlightRequestsFinishAndNewConnectionsAreRefused() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Covet app = Covet.create(c -> c.shutdownTimeout(Duration.ofSeconds(5)));
        app.get("/slow", ctx -> {
            started.countDown();
            Thread.sleep(500);
            ctx.text("finished");
        });
        TestServer server = TestServer.start(app);
        int port = server.port();
        CompletableFuture<HttpResponse<String>> slow = server.client()
                .sendAsync(server.request("/slow").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long before = System.nanoTime();
        app.stop();
        long tookMs = (System.nanoTime() - before) / 1_000_000;
        HttpResponse<String> response = slow.get(5, TimeUnit.SECONDS);
        assertThat(response.body()).isEqualTo("finished");
        assertThat(response.headers().firstValue("Connection")).contains("close");
        assertThat(tookMs).as("stop waited for the in-flight request, not for the timeout").isLessThan(4000);
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                .as("no longer accepting").isInstanceOf(java.net.ConnectException.class);
        server.client().close();
    }

    @Test
    void idleKeepAliveConnectionsAreClosedOnStop() throws Exception {
        Covet app = Covet.create();
        app.get("/x", ctx -> ctx.text("x"));
        TestServer server = TestServer.start(app);
        assertThat(server.get("/x").body()).isEqualTo("x"); // leaves a pooled keep-alive connection
        long before = System.nanoTime();
        server.close();
        assertThat((System.nanoTime() - before) / 1_000_000).as("no wait for idle connections").isLessThan(2000);
        assertThat(app.openConnections()).isZero();
    }
}
