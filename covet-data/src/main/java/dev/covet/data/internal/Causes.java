package dev.covet.data.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * What the chain of causes of a database failure says: whether the server could be reached at all, and which
 * cause is the innermost. The pools ({@code DatabaseUnavailableException}) and {@code covet migrate} both judge
 * failures through here, so they agree on what "unreachable" means; each words the root cause for its reader.
 */
public final class Causes {
    private Causes() { }

    /**
     * Whether the server could not be reached: connection refused, unknown host, no route, or no answer in
     * time, anywhere in the chain; as opposed to a server that answered and refused the login, the database
     * or the SQL, or a connection that broke once open.
     */
    public static boolean serverUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause of {@code e}: {@code e} itself when it has none. */
    public static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
