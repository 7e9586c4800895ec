package dev.covet.security;

import dev.covet.Context;
import dev.covet.Middleware;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response headers that switch on browser defences, set on every response (errors included):
 *
 * <pre>{@code
 * app.use(SecurityHeaders.secure());
 * app.use(SecurityHeaders.secure().with("Content-Security-Policy", "default-src 'self'; img-src *"));
 * }</pre>
 *
 * <p>{@link #secure()} sets, following the OWASP HTTP Headers Cheat Sheet:
 * <ul>
 * <li>{@code Strict-Transport-Security: max-age=31536000; includeSubDomains} (ignored by browsers over plain HTTP)
 * <li>{@code Content-Security-Policy: default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'}
 * <li>{@code X-Content-Type-Options: nosniff}
 * <li>{@code X-Frame-Options: DENY}
 * <li>{@code Referrer-Policy: strict-origin-when-cross-origin}
 * <li>{@code Cross-Origin-Opener-Policy: same-origin}
 * <li>{@code Permissions-Policy: camera=(), microphone=(), geolocation=()}
 * <li>{@code X-XSS-Protection: 0} (the legacy filter caused more harm than good; CSP replaces it)
 * </ul>
 * A handler may still override any of them by setting the header itself.
 */
public final class SecurityHeaders implements Middleware {
    private final Map<String, String> headers;

    private SecurityHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    /** The secure preset above. */
    public static SecurityHeaders secure() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        h.put("Content-Security-Policy",
                "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "strict-origin-when-cross-origin");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        h.put("X-XSS-Protection", "0");
        return new SecurityHeaders(Map.copyOf(h));
    }

    /** No headers; add them with {@link #with}. */
    public static SecurityHeaders none() {
        return new SecurityHeaders(Map.of());
    }

    /** A copy that sets {@code name} to {@code value} (replacing the preset's value). */
    public SecurityHeaders with(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        h.put(name, value);
        return new SecurityHeaders(Map.copyOf(h));
    }

    /** A copy without {@code name}. */
    public SecurityHeaders without(String name) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        return new SecurityHeaders(Map.copyOf(h));
    }

    /** The headers this middleware sets. */
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        headers.forEach(ctx::header);
        next.proceed();
    }
}
