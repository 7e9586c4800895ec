package dev.covet.security;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.covet.Context;
import dev.covet.Cookie;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small session kept in the client's cookie, encrypted and authenticated with AES-256-GCM, so the
 * client can neither read nor change it. The cookie name is bound as associated data (a value cannot
 * be moved to another cookie) and the expiry is inside the ciphertext (an old cookie replayed after
 * {@code maxAge} is refused even if the browser kept it).
 *
 * <pre>{@code
 * SessionCookie session = SessionCookie.builder(key32Bytes).build();     // HttpOnly, Secure, SameSite=Lax
 * session.write(ctx, Map.of("user", "alice"));
 * Optional<Map<String, String>> data = session.read(ctx);               // empty if absent, forged or expired
 * session.clear(ctx);
 * }</pre>
 *
 * <p>Key rotation: {@link Builder#previousKeys} still decrypt; only the first key encrypts. Caveat: a
 * cookie session cannot be revoked server-side before it expires (keep {@code maxAge} short, or store a
 * session id here and the session in Redis). Values are at most 3,800 bytes once encoded.
 */
public final class SessionCookie {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;
    private static final int MAX_COOKIE = 3800;

    private final List<SecretKeySpec> keys;
    private final String name;
    private final Duration maxAge;
    private final boolean secure;
    private final String sameSite;
    private final Clock clock;

    private SessionCookie(Builder b) {
        this.keys = List.copyOf(b.keys);
        this.name = b.name;
        this.maxAge = b.maxAge;
        this.secure = b.secure;
        this.sameSite = b.sameSite;
        this.clock = b.clock;
    }

    /**
     * @param key 32 random bytes (AES-256)
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    public static Builder builder(byte[] key) {
        return new Builder(key);
    }

    /** Sets the session cookie to {@code data}. */
    public void write(Context ctx, Map<String, String> data) {
        Map<String, Object> payload = new LinkedHashMap<>(data);
        payload.put("_exp", clock.instant().plus(maxAge).getEpochSecond());
        byte[] plain = JSONObjectUtils.toJSONString(payload).getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.getFirst(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
            if (value.length() > MAX_COOKIE) {
                throw new IllegalArgumentException("Session data too large for a cookie (" + value.length() + " bytes)");
            }
            ctx.cookie(cookie(value).maxAge(maxAge));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The session of this request; empty if there is none, or it was forged, changed or expired. */
    public Optional<Map<String, String>> read(Context ctx) {
        Optional<String> value = ctx.cookie(name);
        if (value.isEmpty() || value.get().length() > MAX_COOKIE) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(value.get());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length < NONCE + 16) {
            return Optional.empty();
        }
        for (SecretKeySpec key : keys) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, raw, 0, NONCE));
                cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
                byte[] plain = cipher.doFinal(raw, NONCE, raw.length - NONCE);
                Map<String, Object> payload = JSONObjectUtils.parse(new String(plain, StandardCharsets.UTF_8));
                Object exp = payload.remove("_exp");
                if (!(exp instanceof Number n) || clock.instant().getEpochSecond() > n.longValue()) {
                    return Optional.empty();
                }
                Map<String, String> data = new LinkedHashMap<>();
                payload.forEach((k, v) -> data.put(k, String.valueOf(v)));
                return Optional.of(Map.copyOf(data));
            } catch (GeneralSecurityException | java.text.ParseException e) {
                // not this key (or forged): try the next
            }
        }
        return Optional.empty();
    }

    /** Deletes the session cookie in the browser. */
    public void clear(Context ctx) {
        ctx.cookie(cookie("").maxAge(Duration.ZERO));
    }

    private Cookie cookie(String value) {
        return Cookie.of(name, value).httpOnly(true).secure(secure).sameSite(sameSite).path("/");
    }

    /** Configures a {@link SessionCookie}. */
    public static final class Builder {
        private final List<SecretKeySpec> keys = new ArrayList<>();
        private String name = "covet_session";
        private Duration maxAge = Duration.ofHours(8);
        private boolean secure = true;
        private String sameSite = "Lax";
        private Clock clock = Clock.systemUTC();

        private Builder(byte[] key) {
            keys.add(aes(key));
        }

        private static SecretKeySpec aes(byte[] key) {
            if (key.length != 32) {
                throw new IllegalArgumentException("A session key has 32 bytes (AES-256), got " + key.length);
            }
            return new SecretKeySpec(key.clone(), "AES");
        }

        /** Older keys that still decrypt (after a rotation). */
        public Builder previousKeys(byte[]... keys) {
            for (byte[] key : keys) {
                this.keys.add(aes(key));
            }
            return this;
        }

        /** Cookie name (default {@code covet_session}). */
        public Builder name(String name) { this.name = name; return this; }

        /** Lifetime (default 8 hours), enforced inside the cookie too. */
        public Builder maxAge(Duration maxAge) { this.maxAge = maxAge; return this; }

        /** The {@code Secure} attribute (default true; false only for plain-HTTP development). */
        public Builder secure(boolean secure) { this.secure = secure; return this; }

        /** {@code Strict} or {@code Lax} (default Lax). */
        public Builder sameSite(String sameSite) { this.sameSite = sameSite; return this; }

        /** The clock (for tests). */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        public SessionCookie build() {
            return new SessionCookie(this);
        }
    }
}
