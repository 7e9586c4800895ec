package dev.covet.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import dev.covet.security.internal.Ed25519Jws;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verification keys fetched from a JWKS URL (an identity provider's, or another Covet app's
 * {@code /.well-known/jwks.json}), cached.
 *
 * <p>Caching: the set is fetched on first use and again when it is older than {@link Builder#cacheFor}.
 * An unknown {@code kid} triggers a refetch (the issuer may have rotated), but at most once per
 * {@link Builder#minRefreshInterval}, so tokens with random kids cannot make this app hammer the
 * issuer. If a refetch fails, the keys already known are kept and the failure is logged.
 *
 * <p>Which keys are trusted: only asymmetric signature keys (a JWKS never supplies an HMAC secret).
 * A key's algorithm is its {@code alg} member; without one, RSA keys are taken as RS256, P-256 keys as
 * ES256 and Ed25519 keys as EdDSA.
 */
public final class RemoteJwks implements JwtKeySource {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);
    private static final int MAX_BYTES = 512 * 1024;

    private final URI uri;
    private final Duration cacheFor;
    private final Duration minRefreshInterval;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient client;
    private volatile Map<String, JwtKey> keys = Map.of();
    private volatile Instant fetchedAt = Instant.MIN;
    private volatile Instant triedAt = Instant.MIN;

    private RemoteJwks(Builder b) {
        this.uri = b.uri;
        this.cacheFor = b.cacheFor;
        this.minRefreshInterval = b.minRefreshInterval;
        this.timeout = b.timeout;
        this.clock = b.clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Keys from {@code uri} with the default caching. */
    public static RemoteJwks create(URI uri) {
        return builder(uri).build();
    }

    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    @Override
    public Optional<JwtKey> byKid(String kid) {
        Map<String, JwtKey> current = fresh();
        JwtKey key = current.get(kid);
        if (key == null && refetchAllowed()) {
            key = refresh().get(kid);
        }
        return Optional.ofNullable(key);
    }

    @Override
    public Optional<JwtKey> onlyKey() {
        Map<String, JwtKey> current = fresh();
        return current.size() == 1 ? Optional.of(current.values().iterator().next()) : Optional.empty();
    }

    /** The number of times the set was fetched successfully (for tests and metrics). */
    public int fetches() {
        return fetches;
    }

    private volatile int fetches;

    private Map<String, JwtKey> fresh() {
        if (clock.instant().isAfter(fetchedAt.plus(cacheFor)) && refetchAllowed()) {
            return refresh();
        }
        return keys;
    }

    private boolean refetchAllowed() {
        return clock.instant().isAfter(triedAt.plus(minRefreshInterval));
    }

    private synchronized Map<String, JwtKey> refresh() {
        if (!refetchAllowed()) {
            return keys; // another thread just fetched
        }
        triedAt = clock.instant();
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Accept", "application/jwk-set+json, application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || response.body().length > MAX_BYTES) {
                LOG.warn("JWKS {} answered {} ({} bytes); keeping {} known keys", uri, response.statusCode(),
                        response.body().length, keys.size());
                return keys;
            }
            keys = parse(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            fetchedAt = clock.instant();
            fetches++;
        } catch (java.io.IOException | java.text.ParseException | RuntimeException e) {
            LOG.warn("Fetching JWKS {} failed ({}); keeping {} known keys", uri, e.toString(), keys.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return keys;
    }

    static Map<String, JwtKey> parse(String json) throws java.text.ParseException {
        Map<String, JwtKey> out = new HashMap<>();
        for (JWK jwk : JWKSet.parse(json).getKeys()) {
            if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
                continue;
            }
            try {
                String kid = jwk.getKeyID() != null ? jwk.getKeyID() : jwk.computeThumbprint().toString();
                JwtKey key = switch (jwk) {
                    case RSAKey rsa -> JwtKey.verifyOnly(kid, algorithm(jwk, JwtAlgorithm.RS256), rsa.toRSAPublicKey());
                    case ECKey ec when Curve.P_256.equals(ec.getCurve()) ->
                            JwtKey.verifyOnly(kid, algorithm(jwk, JwtAlgorithm.ES256), ec.toECPublicKey());
                    case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) ->
                            JwtKey.verifyOnly(kid, JwtAlgorithm.EdDSA, Ed25519Jws.publicKeyFromRaw(okp.getX().decode()));
                    default -> null; // symmetric or unsupported: never trusted from a URL
                };
                if (key != null) {
                    out.putIfAbsent(kid, key);
                }
            } catch (com.nimbusds.jose.JOSEException | IllegalArgumentException e) {
                LOG.warn("Skipping JWK {}: {}", jwk.getKeyID(), e.getMessage());
            }
        }
        return Map.copyOf(out);
    }

    private static JwtAlgorithm algorithm(JWK jwk, JwtAlgorithm fallback) {
        if (jwk.getAlgorithm() == null) {
            return fallback;
        }
        for (JwtAlgorithm a : JwtAlgorithm.values()) {
            if (!a.isSymmetric() && a.jws().equals(JWSAlgorithm.parse(jwk.getAlgorithm().getName()))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported alg " + jwk.getAlgorithm());
    }

    /** Configures a {@link RemoteJwks}. */
    public static final class Builder {
        private final URI uri;
        private Duration cacheFor = Duration.ofMinutes(10);
        private Duration minRefreshInterval = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();

        private Builder(URI uri) {
            if (!"https".equals(uri.getScheme()) && !isLoopback(uri)) {
                throw new IllegalArgumentException("A JWKS must be fetched over https (http only for localhost): " + uri);
            }
            this.uri = uri;
        }

        private static boolean isLoopback(URI uri) {
            return "http".equals(uri.getScheme()) && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost())
                    || "[::1]".equals(uri.getHost()));
        }

        /** How long a fetched set is used before it is fetched again (default 10 minutes). */
        public Builder cacheFor(Duration cacheFor) { this.cacheFor = cacheFor; return this; }

        /** The least time between two fetches, also for unknown kids (default 30 s). */
        public Builder minRefreshInterval(Duration interval) { this.minRefreshInterval = interval; return this; }

        /** Connect and read timeout of a fetch (default 5 s). */
        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

        /** The clock (for tests). */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        public RemoteJwks build() {
            return new RemoteJwks(this);
        }
    }
}
