package dev.covet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The proxy forwards both ways, drops open connections when cut, refuses new ones until restored. */
class TcpProxyTest {

    @Test
    void forwardsBothWaysThenCutsAndRestores() throws Exception {
        try (ServerSocket echo = echoServer(); TcpProxy proxy = TcpProxy.to(echo.getLocalPort())) {
            try (Socket before = connect(proxy)) {
                assertThat(roundTrip(before, "ping")).isEqualTo("ping");

                proxy.cut();
                assertThat(before.getInputStream().read()).as("an open connection is dropped").isEqualTo(-1);
                try (Socket during = connect(proxy)) {
                    assertThat(during.getInputStream().read()).as("a new connection is refused").isEqualTo(-1);
                }
            }
            proxy.restore();
            try (Socket after = connect(proxy)) {
                assertThat(roundTrip(after, "pong")).isEqualTo("pong");
            }
        }
    }

    @Test
    void closeStopsListening() throws Exception {
        TcpProxy proxy = TcpProxy.to(1);
        int port = proxy.port();
        assertThat(proxy.hostPort()).isEqualTo("127.0.0.1:" + port);
        proxy.close();
        // The JDK may finish closing a listening socket only once the virtual thread blocked in accept()
        // has woken, a moment after close() returns: wait for the refusal instead of expecting it at once.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread.sleep(20);
            } catch (IOException e) {
                refused = true;
            }
        }
        assertThat(refused).as("connections to a closed proxy are refused").isTrue();
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readNBytes(text.length()), StandardCharsets.US_ASCII);
    }

    /** Echoes every connection's bytes back, one virtual thread per connection. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException closed) {
                            // the proxy dropped the connection
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server;
    }
}
