package dev.covet.demo;

import dev.covet.Covet;
import dev.covet.ProblemException;
import dev.covet.realtime.Rooms;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One small route per feature, each documented in docs/. */
final class Examples {
    private Examples() { }

    record NewUser(@NotBlank @Size(max = 50) String name, @Email @NotBlank String email, @Min(0) int age) { }

    record User(int id, String name, String email, int age) { }

    static void register(Covet app) {
        DataExamples.register(app);
        ApiExamples.register(app);
        Map<Integer, User> users = new ConcurrentHashMap<>();
        AtomicInteger ids = new AtomicInteger();

        app.get("/", ctx -> ctx.html("<!doctype html><title>Covet demo</title><h1>Covet demo</h1>"
                + "<ul><li><a href=/plaintext>/plaintext</a><li><a href=/json>/json</a>"
                + "<li><a href=/hello/world>/hello/{name}</a><li><a href=/api/users>/api/users</a>"
                + "<li><a href=/static/>/static/</a> (static files)<li><a href=/events/clock>/events/clock</a> (SSE)"
                + "<li>ws://.../ws/echo (WebSocket echo)<li><a href=/chat>/chat</a> (WebSocket rooms)</ul>"));
        app.get("/hello/{name}", ctx -> ctx.text("Hello, " + ctx.pathParam("name") + "!"));
        app.get("/search", ctx -> ctx.json(Map.of("q", ctx.queryParam("q").orElse(""),
                "page", intParam(ctx.queryParam("page").orElse("1"), "page"))));

        // A handler that blocks, as JDBC or a remote call would: it parks its virtual thread, not an I/O thread.
        app.get("/blocking", ctx -> {
            long ms = Math.min(5_000, Math.max(0, intParam(ctx.queryParam("ms").orElse("100"), "ms")));
            Thread.sleep(ms);
            ctx.json(Map.of("sleptMs", ms, "virtualThread", Thread.currentThread().isVirtual()));
        });

        // Static files: src/main/resources/public, from target/classes or from inside the jar (docs/static-files.md).
        app.staticResources("/static", "public");

        // Server-Sent Events: the time, once a second, ten times (docs/sse.md).
        app.sse("/events/clock", sse -> {
            for (int i = 1; i <= 10; i++) {
                sse.event("tick").id(String.valueOf(i)).data(Instant.now().toString()).send();
                if (i < 10) {
                    Thread.sleep(1000);
                }
            }
            sse.event("done").data("10 ticks sent").send();
        });

        // WebSocket: echoes each text and binary message back (docs/websocket.md).
        app.ws("/ws/echo", ws -> ws
                .onText((session, text) -> session.sendText(text))
                .onBinary((session, data) -> session.sendBinary(data)));

        // A chat on WebSocket rooms: the page /chat and /ws/chat/{room} (docs/websocket.md). Across
        // instances if covet.realtime.redis-url is set.
        ChatExample.register(app, Rooms.create());

        app.group("/api", api -> {
            api.after(ctx -> ctx.header("X-Api-Version", "1"));
            api.get("/users", ctx -> ctx.json(users.values()));
            api.get("/users/{id:int}", ctx -> {
                User user = users.get(ctx.pathParamAsInt("id"));
                if (user == null) {
                    throw new ProblemException(404, "No user with id " + ctx.pathParamAsInt("id"));
                }
                ctx.json(user);
            });
            api.post("/users", ctx -> {
                NewUser input = ctx.bodyAs(NewUser.class);
                User user = new User(ids.incrementAndGet(), input.name(), input.email(), input.age());
                users.put(user.id(), user);
                ctx.status(201).header("Location", "/api/users/" + user.id()).json(user);
            });
            api.delete("/users/{id:int}", ctx -> {
                users.remove(ctx.pathParamAsInt("id"));
                ctx.status(204);
            });
        });

        // Readiness for a load balancer or orchestrator: 200 once the database startup task is done (docs/data.md).
        app.get("/health/ready", app.readinessHandler());

        SecurityExamples.register(app);
    }

    private static int intParam(String value, String name) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ProblemException(400, "Query parameter '" + name + "' must be a whole number, was '" + value + "'");
        }
    }
}
