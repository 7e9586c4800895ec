package dev.covet.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the bearer token of the {@code jwt} scenario: HS256 with a secret made fresh for each session
 * and handed to the targets in {@code DEMO_JWT_HS256_SECRET} (Base64), key id {@code bench}, issuer and
 * audience {@code covet-demo}, subject {@code bench}. The token is valid for a day, longer than any
 * session; it is signed here with the JDK's HMAC so the harness needs no JWT library of a target.
 *
 * @param secretBase64 the shared secret, for the targets' environment
 * @param token        the compact token, for the {@code Authorization} header
 */
record BenchJwt(String secretBase64, String token) {
    static final String KEY_ID = "bench";
    static final String ISSUER = "covet-demo";
    static final String SUBJECT = "bench";
    static final Duration LIFETIME = Duration.ofDays(1);
    /** The environment variable the targets read the secret from. */
    static final String SECRET_ENV = "DEMO_JWT_HS256_SECRET";

    /** A new random 256-bit secret and a token signed with it, issued now. */
    static BenchJwt mint() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return mint(secret, Instant.now());
    }

    static BenchJwt mint(byte[] secret, Instant now) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        // typ at+jwt: an access token as RFC 9068 types it; Covet's verifier refuses other types by default
        String header = "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + KEY_ID + "\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + ISSUER + "\",\"sub\":\"" + SUBJECT + "\",\"iat\":"
                + now.getEpochSecond() + ",\"exp\":" + now.plus(LIFETIME).getEpochSecond() + "}";
        String signingInput = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String signature = url.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
            return new BenchJwt(Base64.getEncoder().encodeToString(secret), signingInput + "." + signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot compute HmacSHA256", e);
        }
    }
}
