package dev.covet.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket conversation for tests, on the JDK's client: the text messages it receives wait in
 * order for {@link #next()}, and the server's close for {@link #awaitClose()}.
 *
 * <pre>{@code
 * try (TestWebSocket ws = server.webSocket("/ws/chat/lobby?user=ada", "chat.v1")) {
 *     ws.send("{\"text\":\"hi\"}");
 *     assertThat(ws.next()).contains("hi");
 * }
 * }</pre>
 *
 * <p>Every wait is bounded ({@value #WAIT_SECONDS} s) and fails with an {@link AssertionError}
 * that says what did not arrive.
 */
public final class TestWebSocket implements AutoCloseable {
    static final int WAIT_SECONDS = 10;

    /** The server's close frame. */
    public record Close(int code, String reason) { }

    /** The handshake was answered with {@code status} instead of 101. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, Throwable cause) {
            super("WebSocket handshake answered " + status + " instead of 101", cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final WebSocket socket;
    private final BlockingQueue<String> messages;
    private final CompletableFuture<Close> closed;

    private TestWebSocket(WebSocket socket, BlockingQueue<String> messages, CompletableFuture<Close> closed) {
        this.socket = socket;
        this.messages = messages;
        this.closed = closed;
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /**
     * Opens a WebSocket to {@code uri} ({@code ws://127.0.0.1:port/path?query}) offering {@code subprotocols}.
     *
     * @throws Refused if the server answered the handshake with another status than 101
     */
    public static TestWebSocket open(URI uri, String... subprotocols) {
        return open(CLIENT, uri, subprotocols);
    }

    static TestWebSocket open(HttpClient client, URI uri, String... subprotocols) {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        CompletableFuture<Close> closed = new CompletableFuture<>();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        try {
            WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        messages.add(text.toString());
                        text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
                    closed.complete(new Close(code, reason));
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    closed.completeExceptionally(error);
                }
            }).get(WAIT_SECONDS, TimeUnit.SECONDS);
            return new TestWebSocket(socket, messages, closed);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new Refused(refused.getResponse().statusCode(), refused);
            }
            throw new IllegalStateException("WebSocket to " + uri + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("No WebSocket handshake answer from " + uri + " within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** The subprotocol the server chose; empty if none. */
    public Optional<String> subprotocol() {
        return Optional.of(socket.getSubprotocol()).filter(s -> !s.isEmpty());
    }

    /** Sends a text message (and waits until it is written). */
    public TestWebSocket send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /**
     * The next text message received.
     *
     * @throws AssertionError if none arrives within 10 s
     */
    public String next() {
        return nextWithin(Duration.ofSeconds(WAIT_SECONDS))
                .orElseThrow(() -> new AssertionError("No WebSocket message within " + WAIT_SECONDS + " s"));
    }

    /** The next text message received within {@code wait}; empty if none came (to assert that none does). */
    public Optional<String> nextWithin(Duration wait) {
        try {
            return Optional.ofNullable(messages.poll(wait.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /**
     * The server's close frame (the client answers it).
     *
     * @throws AssertionError if the server does not close within 10 s, or the connection failed instead
     */
    public Close awaitClose() {
        try {
            return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("The server did not close the WebSocket within " + WAIT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            throw new AssertionError("The WebSocket failed instead of closing", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Closes normally (1000) and waits up to 10 s for the server's answer. */
    public void closeNormally() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        awaitClose();
    }

    /** Drops the connection at once (no close handshake). */
    @Override
    public void close() {
        socket.abort();
    }
}
