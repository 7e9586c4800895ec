package dev.covet;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A cookie to set on the response. Secure defaults: {@code HttpOnly} and {@code SameSite=Lax} are on,
 * {@code Path=/}; call {@link #secure(boolean)} for HTTPS deployments.
 */
public final class Cookie {
    private final String name;
    private final String value;
    private String path = "/";
    private String domain;
    private Duration maxAge;
    private boolean httpOnly = true;
    private boolean secure;
    private String sameSite = "Lax";

    private Cookie(String name, String value) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Cookie of(String name, String value) {
        return new Cookie(name, value);
    }

    public Cookie path(String path) { this.path = path; return this; }
    public Cookie domain(String domain) { this.domain = domain; return this; }
    /** Lifetime; {@code Duration.ZERO} deletes the cookie in the browser. */
    public Cookie maxAge(Duration maxAge) { this.maxAge = maxAge; return this; }
    public Cookie httpOnly(boolean httpOnly) { this.httpOnly = httpOnly; return this; }
    public Cookie secure(boolean secure) { this.secure = secure; return this; }
    /** {@code Strict}, {@code Lax} or {@code None} (None requires {@code secure(true)} in browsers). */
    public Cookie sameSite(String sameSite) { this.sameSite = sameSite; return this; }

    public String name() { return name; }
    public String value() { return value; }
    public String path() { return path; }
    public Optional<String> domain() { return Optional.ofNullable(domain); }
    public Optional<Duration> maxAge() { return Optional.ofNullable(maxAge); }
    public boolean httpOnly() { return httpOnly; }
    public boolean secure() { return secure; }
    public String sameSite() { return sameSite; }
}
