package dev.covet.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.covet.RouteGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The app's own keys: one signing key and any number of older keys kept only to verify tokens issued
 * before a rotation. Thread-safe; {@link #rotate(JwtKey)} and {@link #retire(String)} swap an
 * immutable snapshot, so verification never sees a half-made change.
 *
 * <p>Rotation: {@code rotate(newKey)} makes {@code newKey} the signing key and keeps the old one for
 * verification; once the longest-lived token signed by the old key has expired, {@code retire(oldKid)}.
 * The public halves are served as a JWKS by {@link #install(RouteGroup)}.
 */
public final class JwtKeySet implements JwtKeySource {
    /** Where {@link #install(RouteGroup)} serves the JWKS. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    private record Snapshot(JwtKey signing, Map<String, JwtKey> byKid, String jwksJson) { }

    private volatile Snapshot snapshot;

    private JwtKeySet(JwtKey signing, List<JwtKey> others) {
        snapshot = snapshot(signing, others);
    }

    /**
     * A key set that signs with {@code signingKey} and also verifies with {@code verificationKeys}.
     *
     * @throws IllegalArgumentException if the signing key cannot sign or two keys share a kid
     */
    public static JwtKeySet of(JwtKey signingKey, JwtKey... verificationKeys) {
        return new JwtKeySet(signingKey, List.of(verificationKeys));
    }

    private static Snapshot snapshot(JwtKey signing, List<JwtKey> others) {
        if (!signing.canSign()) {
            throw new IllegalArgumentException("The signing key " + signing.kid() + " holds no private key or secret");
        }
        Map<String, JwtKey> byKid = new LinkedHashMap<>();
        byKid.put(signing.kid(), signing);
        for (JwtKey key : others) {
            if (byKid.putIfAbsent(key.kid(), key) != null) {
                throw new IllegalArgumentException("Two keys share the kid " + key.kid());
            }
        }
        List<JWK> jwks = new ArrayList<>();
        byKid.values().forEach(k -> k.publicJwk().ifPresent(jwks::add));
        return new Snapshot(signing, Map.copyOf(byKid), new JWKSet(jwks).toString(true));
    }

    /** The key new tokens are signed with. */
    public JwtKey signingKey() {
        return snapshot.signing();
    }

    /** Makes {@code next} the signing key; the previous keys stay for verification. */
    public synchronized JwtKeySet rotate(JwtKey next) {
        Snapshot current = snapshot;
        List<JwtKey> others = new ArrayList<>(current.byKid().values());
        others.removeIf(k -> k.kid().equals(next.kid()));
        snapshot = snapshot(next, others);
        return this;
    }

    /**
     * Removes a verification key: tokens signed with it are refused from now on.
     *
     * @throws IllegalArgumentException if {@code kid} is the signing key's
     */
    public synchronized JwtKeySet retire(String kid) {
        Snapshot current = snapshot;
        if (current.signing().kid().equals(kid)) {
            throw new IllegalArgumentException("Cannot retire the signing key; rotate first");
        }
        List<JwtKey> others = new ArrayList<>(current.byKid().values());
        others.removeIf(k -> k.kid().equals(kid) || k == current.signing());
        snapshot = snapshot(current.signing(), others);
        return this;
    }

    @Override
    public Optional<JwtKey> byKid(String kid) {
        return Optional.ofNullable(snapshot.byKid().get(kid));
    }

    @Override
    public Optional<JwtKey> onlyKey() {
        Map<String, JwtKey> keys = snapshot.byKid();
        return keys.size() == 1 ? Optional.of(keys.values().iterator().next()) : Optional.empty();
    }

    /** The public keys as a JWKS document (RFC 7517); HMAC secrets are never included. */
    public String jwksJson() {
        return snapshot.jwksJson();
    }

    /** Serves {@link #jwksJson()} at {@code GET /.well-known/jwks.json} (cacheable for 5 minutes). */
    public void install(RouteGroup app) {
        install(app, () -> this);
    }

    /**
     * Serves the JWKS of a key set that is made later, for example by a startup task that generates the
     * keys once the server listens: {@code JwtKeySet.install(app, () -> keysTask.get())}. Until then the
     * route answers whatever {@code keys} throws (a startup task's 503 with {@code Retry-After}).
     */
    public static void install(RouteGroup app, Supplier<JwtKeySet> keys) {
        app.get(JWKS_PATH, ctx -> {
            byte[] jwks = keys.get().jwksJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);  // first: a 503 must not be cacheable
            ctx.contentType("application/jwk-set+json").header("Cache-Control", "public, max-age=300").bytes(jwks);
        });
    }
}
