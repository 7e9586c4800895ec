package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutingTest {
    private TestServer server;

    @BeforeEach
    void start() {
        Covet app = Covet.create();
        app.get("/users/{id:int}", ctx -> ctx.text("user " + ctx.pathParamAsInt("id")));
        app.get("/users/me", ctx -> ctx.text("me"));
        app.get("/files/{path:*}", ctx -> ctx.text("file " + ctx.pathParam("path")));
        app.post("/users", ctx -> ctx.status(201).text("created"));
        app.put("/users/{id:int}", ctx -> ctx.text("put " + ctx.pathParam("id")));
        app.patch("/users/{id:int}", ctx -> ctx.text("patch " + ctx.pathParam("id")));
        app.delete("/users/{id:int}", ctx -> ctx.status(204));
        app.group("/api", api -> api.group("/v1", v1 -> v1.get("/ping", ctx -> ctx.text("pong"))));
        server = TestServer.start(app);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyMethodReachesItsHandler() {
        assertThat(server.get("/users/7").body()).isEqualTo("user 7");
        assertThat(server.postJson("/users", "{}").status()).isEqualTo(201);
        assertThat(server.send(server.request("/users/7").PUT(HttpRequest.BodyPublishers.noBody())).body())
                .isEqualTo("put 7");
        assertThat(server.send(server.request("/users/7").method("PATCH", HttpRequest.BodyPublishers.noBody())).body())
                .isEqualTo("patch 7");
        assertThat(server.delete("/users/7").status()).isEqualTo(204);
    }

    @Test
    void staticSegmentsWinAndTypedParametersFilter() {
        assertThat(server.get("/users/me").body()).isEqualTo("me");
        assertThat(server.get("/users/abc").status()).as("not an int and no other route").isEqualTo(404);
    }

    @Test
    void catchAllParametersTakeTheRestOfThePath() {
        assertThat(server.get("/files/docs/a%20b.txt").body()).isEqualTo("file docs/a b.txt");
    }

    @Test
    void nestedGroupsJoinTheirPrefixes() {
        assertThat(server.get("/api/v1/ping").body()).isEqualTo("pong");
    }

    @Test
    void anUnknownPathIs404ProblemJson() {
        TestResponse response = server.get("/nowhere");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("\"type\":\"urn:covet:problem:not-found\"").contains("\"status\":404")
                .contains("\"instance\":\"/nowhere\"");
    }

    @Test
    void aKnownPathWithTheWrongMethodIs405WithAllow() {
        TestResponse response = server.delete("/users/me");
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).contains("GET, HEAD, OPTIONS");
        assertThat(response.header("Content-Type")).contains("application/problem+json");
    }

    @Test
    void optionsIsAnsweredAutomatically() {
        TestResponse response = server.send(server.request("/users/7").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Allow")).contains("GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
    }

    @Test
    void headGetsTheHeadersOfGetWithoutABody() {
        TestResponse response = server.send(server.request("/users/7").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).contains("6");
        assertThat(response.bytes()).isEmpty();
    }

    @Test
    void everyResponseCarriesServerAndDate() {
        TestResponse response = server.get("/users/me");
        assertThat(response.header("Server")).contains("covet");
        assertThat(response.header("Date")).get().asString().endsWith("GMT");
    }
}
