package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.testkit.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockingHandlersTest {

    @Test
    void handlersRunOnVirtualThreadsByDefault() {
        Covet app = Covet.create();
        app.get("/thread", ctx -> ctx.text(String.valueOf(Thread.currentThread().isVirtual())));
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/thread").body()).isEqualTo("true");
        }
    }

    @Test
    void nonBlockingRoutesRunOnTheIoThread() {
        Covet app = Covet.create();
        app.get("/thread", ctx -> ctx.text(Thread.currentThread().getName()), RouteOptions.create().nonBlocking());
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/thread").body()).startsWith("covet-io");
        }
    }

    @Test
    void manyBlockedHandlersDoNotStallOtherRequests() throws Exception {
        // More blocked handlers than I/O threads and cores: with handlers on the I/O threads this would hang.
        int blocked = 200;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(blocked);
        Covet app = Covet.create(c -> c.ioThreads(1));
        app.get("/block", ctx -> {
            arrived.countDown();
            release.await(30, TimeUnit.SECONDS);
            ctx.text("released");
        });
        app.get("/fast", ctx -> ctx.text("fast"));
        try (TestServer server = TestServer.start(app)) {
            CompletableFuture<?>[] pending = new CompletableFuture<?>[blocked];
            for (int i = 0; i < blocked; i++) {
                pending[i] = server.client().sendAsync(server.request("/block").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            assertThat(arrived.await(20, TimeUnit.SECONDS)).as("all blocking handlers started").isTrue();
            assertThat(server.get("/fast").body()).isEqualTo("fast");
            release.countDown();
            CompletableFuture.allOf(pending).get(30, TimeUnit.SECONDS);
            assertThat(((HttpResponse<?>) pending[0].get()).body()).isEqualTo("released");
        }
    }

    @Test
    void theWatchdogReportsAnIoThreadBlockedPastTheThreshold() {
        Covet app = Covet.create(c -> c.blockedLoopThreshold(Duration.ofMillis(50)));
        app.get("/sleep-on-io", ctx -> {
            Thread.sleep(300); // the mistake the watchdog exists to catch
            ctx.text("done");
        }, RouteOptions.create().nonBlocking());
        app.get("/fine", ctx -> ctx.text("fine"), RouteOptions.create().nonBlocking());
        try (TestServer server = TestServer.start(app)) {
            server.get("/fine");
            assertThat(server.app().blockedLoopEvents()).isZero();
            server.get("/sleep-on-io");
            assertThat(server.app().blockedLoopEvents()).isEqualTo(1);
        }
    }
}
