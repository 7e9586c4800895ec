package dev.covet.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of a local server (a database, Redis), which a test can cut and
 * restore to see how the app behaves when that server goes away and comes back, without touching the
 * server itself (other tests may be using it):
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to(5432)) {
 *     Database db = Database.create("postgresql://postgres@" + proxy.hostPort() + "/app");
 *     proxy.cut();      // open connections drop, new ones are refused
 *     ...               // the app answers 503 database-unavailable
 *     proxy.restore();  // new connections get through again
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-proxy-accept").start(this::acceptLoop);
    }

    /** A proxy listening on a free port of 127.0.0.1, forwarding to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a proxy port on 127.0.0.1", e);
        }
    }

    /** The proxy's own port: connect here instead of to the server. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, for a URL. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** Drops every open connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Lets new connections through again (the dropped ones stay dropped). */
    public void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException refused) {
                    closeQuietly(client); // the client sees the server refuse, through us
                    continue;
                }
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException closed) {
                return; // close(): the server socket is gone
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException oneSideClosed) {
            // the peer or cut() closed the pair: close the other half below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException alreadyClosed) {
            // nothing left to release
        }
    }

    /** Cuts every connection and stops listening. */
    @Override
    public void close() {
        cut();
        closeQuietly(server);
    }
}
