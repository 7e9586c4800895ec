package dev.covet.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Issues signed access tokens with the signing key of a {@link JwtKeySet}: {@code kid}, {@code alg}
 * and {@code typ: at+jwt} (RFC 9068, so verifiers can tell them from other JWTs) headers; {@code iss}, {@code sub}, {@code aud}, {@code iat}, {@code exp} and a
 * random {@code jti} claims, plus the app's own claims.
 *
 * <pre>{@code
 * JwtIssuer issuer = JwtIssuer.builder(keys).issuer("https://api.example.com").audience("web").build();
 * String token = issuer.issue("user-42", Map.of("roles", List.of("admin")));
 * }</pre>
 */
public final class JwtIssuer {
    /** Default lifetime of an access token. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType(JwtVerifier.ACCESS_TOKEN_TYPE);
    private static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private final JwtKeySet keys;
    private final String issuer;
    private final List<String> audience;
    private final Duration ttl;
    private final Clock clock;

    private JwtIssuer(Builder b) {
        this.keys = b.keys;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.ttl = b.ttl;
        this.clock = b.clock;
    }

    public static Builder builder(JwtKeySet keys) {
        return new Builder(keys);
    }

    /** A token for {@code subject} without extra claims. */
    public String issue(String subject) {
        return issue(subject, Map.of());
    }

    /**
     * A token for {@code subject} with {@code claims} added (values: strings, numbers, booleans,
     * lists and maps of those).
     *
     * @throws IllegalArgumentException if {@code claims} contains a registered claim this issuer sets
     *     itself ({@code iss sub aud exp nbf iat jti}) or the subject is blank
     */
    public String issue(String subject, Map<String, ?> claims) {
        return issue(subject, claims, ttl);
    }

    String issue(String subject, Map<String, ?> claims, Duration lifetime) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("A token needs a subject");
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        if (issuer != null) {
            set.issuer(issuer);
        }
        if (!audience.isEmpty()) {
            set.audience(audience);
        }
        claims.forEach((name, value) -> {
            if (REGISTERED.contains(name)) {
                throw new IllegalArgumentException("The issuer sets the claim " + name + " itself");
            }
            set.claim(name, value);
        });
        JwtKey key = keys.signingKey();
        JWSHeader header = new JWSHeader.Builder(key.algorithm().jws()).keyID(key.kid()).type(ACCESS_TOKEN).build();
        SignedJWT jwt = new SignedJWT(header, set.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing with key " + key.kid() + " failed", e);
        }
        return jwt.serialize();
    }

    /** How long issued tokens live. */
    public Duration ttl() {
        return ttl;
    }

    /** Configures a {@link JwtIssuer}. */
    public static final class Builder {
        private final JwtKeySet keys;
        private String issuer;
        private List<String> audience = List.of();
        private Duration ttl = DEFAULT_TTL;
        private Clock clock = Clock.systemUTC();

        private Builder(JwtKeySet keys) {
            this.keys = keys;
        }

        /** The {@code iss} claim (default: none). */
        public Builder issuer(String issuer) { this.issuer = issuer; return this; }

        /** The {@code aud} claim (default: none). */
        public Builder audience(String... audience) { this.audience = List.of(audience); return this; }

        /** Token lifetime (default {@link #DEFAULT_TTL}, 15 minutes). */
        public Builder ttl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive, got " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /** The clock (for tests). */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        public JwtIssuer build() {
            return new JwtIssuer(this);
        }
    }
}
