package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MiddlewareTest {

    @Test
    void appAndGroupMiddlewareRunOutermostFirstAroundTheHandler() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Covet app = Covet.create();
        app.use((ctx, next) -> {
            calls.add("app-before");
            next.proceed();
            calls.add("app-after");
        });
        app.group("/api", api -> {
            api.before(ctx -> calls.add("group-before"));
            api.after(ctx -> calls.add("group-after"));
            api.get("/x", ctx -> {
                calls.add("handler");
                ctx.text("ok");
            });
        });
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/api/x").body()).isEqualTo("ok");
        }
        assertThat(calls).containsExactly("app-before", "group-before", "handler", "group-after", "app-after");
    }

    @Test
    void groupMiddlewareDoesNotRunForOtherRoutes() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Covet app = Covet.create();
        app.get("/public", ctx -> ctx.text("public"));
        app.group("/admin", admin -> {
            admin.before(ctx -> calls.add("admin-check"));
            admin.get("/panel", ctx -> ctx.text("panel"));
        });
        try (TestServer server = TestServer.start(app)) {
            server.get("/public");
            assertThat(calls).isEmpty();
            server.get("/admin/panel");
            assertThat(calls).containsExactly("admin-check");
        }
    }

    @Test
    void middlewareCanRefuseARequestWithoutCallingTheHandler() {
        Covet app = Covet.create();
        app.use((ctx, next) -> {
            if (ctx.header("X-Token").isEmpty()) {
                throw new ProblemException(401, "A token is required");
            }
            next.proceed();
        });
        app.get("/secret", ctx -> ctx.text("secret"));
        try (TestServer server = TestServer.start(app)) {
            TestResponse refused = server.get("/secret");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body()).contains("A token is required");
            assertThat(server.send(server.request("/secret").header("X-Token", "t").GET()).body()).isEqualTo("secret");
        }
    }

    @Test
    void appMiddlewareAlsoWrapsNotFoundAndMethodNotAllowed() {
        Covet app = Covet.create();
        app.after(ctx -> ctx.header("X-Seen", "yes"));
        app.get("/only-get", ctx -> ctx.text("ok"));
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/missing").header("X-Seen")).contains("yes");
            assertThat(server.delete("/only-get").header("X-Seen")).contains("yes");
        }
    }

    @Test
    void afterHandlersRunEvenWhenTheHandlerThrows() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Covet app = Covet.create();
        app.after(ctx -> calls.add("after"));
        app.get("/boom", ctx -> {
            throw new IllegalStateException("boom");
        });
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/boom").status()).isEqualTo(500);
        }
        assertThat(calls).containsExactly("after");
    }

    @Test
    void attributesCarryValuesFromMiddlewareToTheHandler() {
        Covet app = Covet.create();
        app.before(ctx -> ctx.attribute("user", "ada"));
        app.get("/me", ctx -> ctx.text(ctx.<String>attribute("user").orElse("nobody")));
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/me").body()).isEqualTo("ada");
        }
    }
}
