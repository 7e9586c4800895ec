package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonAndValidationTest {
    record Address(@NotBlank String city) { }

    record Signup(@NotBlank @Size(max = 20) String name, @Email @NotNull String email, @Max(150) int age,
                  @Valid Address address, List<String> tags) { }

    record Plain(String text, int n) { }

    private TestServer server;

    @BeforeEach
    void start() {
        Covet app = Covet.create();
        app.post("/signup", ctx -> ctx.status(201).json(ctx.bodyAs(Signup.class)));
        app.post("/plain", ctx -> ctx.json(ctx.bodyAs(Plain.class)));
        app.get("/map", ctx -> ctx.json(Map.of("a", 1)));
        app.get("/list", ctx -> ctx.json(List.of(new Plain("x", 1), new Plain("y", 2))));
        server = TestServer.start(app);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aValidBodyBecomesARecordAndGoesBackAsJson() {
        TestResponse response = server.postJson("/signup",
                "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"age\":36,\"address\":{\"city\":\"London\"},\"tags\":[\"x\"]}");
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Content-Type")).contains("application/json");
        assertThat(response.body()).isEqualTo(
                "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"age\":36,\"address\":{\"city\":\"London\"},\"tags\":[\"x\"]}");
    }

    @Test
    void everyInvalidFieldIsListedWith422() {
        TestResponse response = server.postJson("/signup",
                "{\"name\":\"\",\"email\":\"not-an-email\",\"age\":200,\"address\":{\"city\":\" \"}}");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.body())
                .contains("\"type\":\"urn:covet:problem:validation-failed\"")
                .contains("{\"field\":\"address.city\",\"message\":\"must not be blank\",\"rejectedValue\":\" \"}")
                .contains("{\"field\":\"age\",\"message\":\"must be less than or equal to 150\",\"rejectedValue\":200}")
                .contains("\"field\":\"email\"")
                .contains("\"field\":\"name\"");
    }

    @Test
    void malformedJsonIs400SayingWhereItBroke() {
        TestResponse response = server.postJson("/plain", "{\"text\": \"a\",\n \"n\": }");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("urn:covet:problem:malformed-json").contains("line 2, column");
    }

    @Test
    void aWrongTypeNamesTheField() {
        TestResponse response = server.postJson("/plain", "{\"text\":\"a\",\"n\":\"many\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("field 'n'");
    }

    @Test
    void unknownFieldsAreRejected() {
        TestResponse response = server.postJson("/plain", "{\"text\":\"a\",\"n\":1,\"admin\":true}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("Unknown field 'admin'");
    }

    @Test
    void anEmptyBodyIs400() {
        assertThat(server.postJson("/plain", "").status()).isEqualTo(400);
    }

    @Test
    void aNonJsonContentTypeIs415() {
        TestResponse response = server.post("/plain", "text/plain", "{}".getBytes());
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.body()).contains("urn:covet:problem:unsupported-media-type");
    }

    @Test
    void deeplyNestedJsonIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        TestResponse response = server.postJson("/plain", deep);
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void mapsAndListsSerialize() {
        assertThat(server.get("/map").body()).isEqualTo("{\"a\":1}");
        assertThat(server.get("/list").body()).isEqualTo("[{\"text\":\"x\",\"n\":1},{\"text\":\"y\",\"n\":2}]");
    }
}
