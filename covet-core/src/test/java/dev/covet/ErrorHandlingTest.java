package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class ErrorHandlingTest {

    static class NotEnoughMoney extends RuntimeException {
        NotEnoughMoney(String message) {
            super(message);
        }
    }

    @Test
    void anUnhandledExceptionIsA500WithAnErrorIdAndNoStackTrace() {
        Covet app = Covet.create();
        app.get("/boom", ctx -> {
            throw new IllegalStateException("database password is hunter2");
        });
        try (TestServer server = TestServer.start(app)) {
            TestResponse response = server.get("/boom");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(response.body()).contains("\"errorId\":\"").doesNotContain("hunter2")
                    .doesNotContain("IllegalStateException").doesNotContain("at dev.covet");
        }
    }

    @Test
    void devModeShowsTheStackTrace() {
        Covet app = Covet.create(c -> c.devMode(true));
        app.get("/boom", ctx -> {
            throw new IllegalStateException("visible in dev");
        });
        try (TestServer server = TestServer.start(app)) {
            TestResponse response = server.get("/boom");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).contains("visible in dev").contains("stackTrace");
        }
    }

    @Test
    void exceptionHandlersMapTypesAndSubtypesToResponses() {
        Covet app = Covet.create();
        app.exception(NotEnoughMoney.class, (e, ctx) -> ctx.status(402).json(java.util.Map.of("error", e.getMessage())));
        app.exception(RuntimeException.class, (e, ctx) -> ctx.status(418).text("generic"));
        app.get("/pay", ctx -> {
            throw new NotEnoughMoney("balance too low");
        });
        app.get("/other", ctx -> {
            throw new NoSuchElementException();
        });
        try (TestServer server = TestServer.start(app)) {
            TestResponse pay = server.get("/pay");
            assertThat(pay.status()).isEqualTo(402);
            assertThat(pay.body()).isEqualTo("{\"error\":\"balance too low\"}");
            assertThat(server.get("/other").status()).as("the most specific handler wins").isEqualTo(418);
        }
    }

    @Test
    void anExceptionHandlerThatFailsIsA500() {
        Covet app = Covet.create();
        app.exception(IllegalArgumentException.class, (e, ctx) -> {
            throw new IllegalStateException("handler broke");
        });
        app.get("/x", ctx -> {
            throw new IllegalArgumentException("x");
        });
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/x").status()).isEqualTo(500);
        }
    }

    @Test
    void problemExceptionsKeepHeadersSetBeforeTheThrow() {
        Covet app = Covet.create();
        app.get("/limited", ctx -> {
            ctx.header("Retry-After", "30");
            throw new ProblemException(429, "Slow down");
        });
        try (TestServer server = TestServer.start(app)) {
            TestResponse response = server.get("/limited");
            assertThat(response.status()).isEqualTo(429);
            assertThat(response.header("Retry-After")).contains("30");
            assertThat(response.body()).contains("\"title\":\"Too Many Requests\"").contains("Slow down");
        }
    }

    @Test
    void headerValuesWithLineBreaksAreRefusedSoResponsesCannotBeSplit() {
        Covet app = Covet.create();
        app.get("/split", ctx -> ctx.header("X-Name", ctx.queryParam("name").orElse("")).text("ok"));
        try (TestServer server = TestServer.start(app)) {
            TestResponse response = server.get("/split?name=a%0d%0aSet-Cookie:%20evil=1");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("Set-Cookie")).isEmpty();
        }
    }
}
