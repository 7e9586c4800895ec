package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo as a user runs it: a separate JVM, configured by environment, stopped by SIGTERM. */
class DemoProcessTest {
    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int port;
    private Thread reader;

    @BeforeEach
    void startDemo() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), DemoApp.class.getName()).redirectErrorStream(true);
        builder.environment().put("COVET_PORT", String.valueOf(port));
        process = builder.start();
        reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(output closed: " + e + ")");
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (output.stream().noneMatch(l -> l.contains("Covet listening on http://127.0.0.1:" + port))) {
            assertThat(process.isAlive()).as("demo exited early: " + output).isTrue();
            assertThat(System.nanoTime()).as("demo did not start in 30 s: " + output).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @AfterEach
    void killIfStillRunning() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheTechEmpowerEndpointsAndNamesItsTransport() throws Exception {
        HttpResponse<String> plaintext = get("/plaintext");
        assertThat(plaintext.body()).isEqualTo("Hello, World!");
        assertThat(plaintext.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(plaintext.headers().firstValue("Server")).isPresent();
        assertThat(plaintext.headers().firstValue("Date")).isPresent();
        HttpResponse<String> json = get("/json");
        assertThat(json.body()).isEqualTo("{\"message\":\"Hello, World!\"}");
        assertThat(json.headers().firstValue("Content-Type")).contains("application/json");
        HttpResponse<String> echo = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("ping")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(echo.body()).isEqualTo("ping");
        assertThat(output).anyMatch(l -> l.contains("transport=epoll"));
    }

    @Test
    void theWebSocketEchoAnswersTextAndBinary() throws Exception {
        java.util.concurrent.BlockingQueue<Object> received = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo"),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                        received.add(data.toString());
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket ws, java.nio.ByteBuffer data, boolean last) {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        received.add(bytes);
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
        socket.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        assertThat((byte[]) received.poll(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void sigtermFinishesInFlightRequestsAndExitsZero() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blocking?ms=1000")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300); // the request is now inside its handler
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"sleptMs\":1000");
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("exited: " + output).isTrue();
        assertThat(process.exitValue()).as("exit code, output: " + output).isZero();
        reader.join(5_000); // the last lines are read after the process exits
        assertThat(output).anyMatch(l -> l.contains("SIGTERM received"));
    }

    @Test
    void anInvalidSettingStopsStartUpWithAClearMessage() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), DemoApp.class.getName()).redirectErrorStream(true);
        builder.environment().put("COVET_PORT", "not-a-port");
        Process bad = builder.start();
        String text = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isNotZero();
        assertThat(text).contains("Invalid value 'not-a-port' for covet.port (from environment variable COVET_PORT)");
    }
}
