package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.Covet;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecurityExamplesTest {
    static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        Covet app = Covet.create();
        SecurityExamples.register(app);
        server = TestServer.start(app);
        assertThat(app.awaitReady(Duration.ofSeconds(30)).ready()).as("keys generated").isTrue();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    TestResponse get(String path, String token) {
        return server.send(server.request(path).header("Authorization", "Bearer " + token).GET());
    }

    @Test
    void aLoginYieldsTokensThatOpenTheProtectedRoutesAndRefresh() {
        TestResponse login = server.postJson("/secure/login", "{\"user\":\"alice\",\"password\":\"wonderland\"}");
        assertThat(login.status()).isEqualTo(200);
        String access = field(login.body(), "access_token");
        assertThat(get("/secure/me", access).body()).contains("\"user\":\"alice\"");
        assertThat(get("/secure/admin/stats", access).status()).isEqualTo(200);
        assertThat(server.get("/secure/me").status()).isEqualTo(401);
        TestResponse refreshed = server.postJson("/secure/refresh", "{\"refreshToken\":\"" + field(login.body(), "refresh_token") + "\"}");
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(login.header("Strict-Transport-Security")).isPresent();
    }

    @Test
    void bobIsNoAdminAndAWrongPasswordIs401() {
        String access = field(server.postJson("/secure/login", "{\"user\":\"bob\",\"password\":\"builder\"}").body(), "access_token");
        assertThat(get("/secure/admin/stats", access).status()).isEqualTo(403);
        assertThat(server.postJson("/secure/login", "{\"user\":\"bob\",\"password\":\"nope\"}").status()).isEqualTo(401);
    }

    @Test
    void theLimitedRouteAnswers429AfterFiveCallsAndCorsAnswersPreflights() {
        int last = 0;
        for (int i = 0; i < 6; i++) {
            last = server.get("/secure/limited").status();
        }
        assertThat(last).isEqualTo(429);
        TestResponse preflight = server.send(server.request("/secure/me").header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).contains("http://localhost:3000");
    }
}
