package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Response splitting: a handler that copies client input into a response header must not let a CR or
 * LF (or a bad header name) reach the wire. The value is refused with a 500 problem and no injected
 * header or extra response appears, on blocking routes and on the I/O thread alike.
 */
class ResponseHeaderInjectionTest {
    private static final String INJECTED = "x\r\nX-Injected: yes";

    @RegisterExtension
    static final TestServer server = TestServer.create(config -> { }, app -> {
        RouteOptions nonBlocking = RouteOptions.create().nonBlocking();
        route(app, "/value", ctx -> ctx.header("X-Echo", INJECTED).text("unreachable"), nonBlocking);
        route(app, "/lf", ctx -> ctx.header("X-Echo", "x\nX-Injected: yes").text("unreachable"), nonBlocking);
        route(app, "/name", ctx -> ctx.header("X-Injected: yes\r\nX-Echo", "x").text("unreachable"), nonBlocking);
        route(app, "/space-in-name", ctx -> ctx.header("X Echo", "x").text("unreachable"), nonBlocking);
        route(app, "/content-type", ctx -> ctx.contentType("text/plain\r\nX-Injected: yes").text("unreachable"),
                nonBlocking);
        route(app, "/redirect", ctx -> ctx.redirect("/next\r\nX-Injected: yes"), nonBlocking);
    });

    private static void route(Covet app, String path, Handler handler, RouteOptions nonBlocking) {
        app.get(path, handler);
        app.get("/nb" + path, handler, nonBlocking);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/value", "/lf", "/name", "/space-in-name", "/content-type", "/redirect",
            "/nb/value", "/nb/lf", "/nb/name", "/nb/space-in-name", "/nb/content-type", "/nb/redirect"})
    void aHeaderWithControlCharactersIsRefusedAndNothingIsInjected(String path) {
        try (RawHttp client = server.connect()) {
            RawHttp.Response response = client.send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(response.headers()).doesNotContainKey("x-injected");
            assertThat(response.header("X-Echo")).isEmpty();
            assertThat(response.header("Location")).isEmpty();
            // the connection is still in step: the next response is the next request's
            RawHttp.Response next = client.send(TestServer.HEALTH).read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.text()).isEqualTo("ok");
        }
    }
}
