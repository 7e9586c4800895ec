package dev.covet.security;

import dev.covet.security.InvalidTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * Access tokens with rotating refresh tokens (OAuth 2.0 Security BCP, RFC 9700 section 4.14).
 *
 * <p>Every refresh token is single use: {@link #refresh} returns a new pair and marks the old
 * refresh token used. All tokens rotated from one login form a <i>family</i>. Presenting a used
 * token again means it was stolen (or the client is confused): the whole family is revoked, so
 * both the thief and the user must log in again. {@link #revoke} ends a family (logout).
 *
 * <p>Caveat: revoking a family does not revoke access tokens already issued from it; they stay
 * valid until they expire (15 minutes by default) unless they are also put on an
 * {@link AccessTokenDenylist}. Keep access tokens short.
 */
public final class RefreshTokens {
    /** Default refresh token lifetime. */
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JwtIssuer issuer;
    private final RefreshTokenStore store;
    private final Duration ttl;
    private final Clock clock;

    private RefreshTokens(JwtIssuer issuer, RefreshTokenStore store, Duration ttl, Clock clock) {
        this.issuer = issuer;
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Refresh tokens living {@link #DEFAULT_TTL} (30 days). */
    public static RefreshTokens create(JwtIssuer issuer, RefreshTokenStore store) {
        return new RefreshTokens(issuer, store, DEFAULT_TTL, Clock.systemUTC());
    }

    /** Refresh tokens living {@code ttl}, on {@code clock}. */
    public static RefreshTokens create(JwtIssuer issuer, RefreshTokenStore store, Duration ttl, Clock clock) {
        return new RefreshTokens(issuer, store, ttl, clock);
    }

    /** A new pair after a login: a new family. */
    public TokenPair issue(String subject, Map<String, ?> claims) {
        return issue(subject, Map.copyOf(claims), UUID.randomUUID().toString());
    }

    /**
     * Exchanges a refresh token for a new pair.
     *
     * @throws InvalidTokenException {@code MALFORMED} for an unknown token, {@code EXPIRED},
     *     {@code REVOKED} if its family was revoked, {@code REUSED} if it was used before (the family
     *     is revoked now)
     */
    public TokenPair refresh(String refreshToken) {
        String hash = hash(refreshToken);
        RefreshTokenStore.Entry entry = store.find(hash)
                .orElseThrow(() -> new InvalidTokenException(Reason.MALFORMED, "unknown refresh token"));
        if (store.isFamilyRevoked(entry.familyId())) {
            throw new InvalidTokenException(Reason.REVOKED, "refresh token family revoked");
        }
        if (clock.instant().isAfter(entry.expiresAt())) {
            throw new InvalidTokenException(Reason.EXPIRED, "refresh token expired");
        }
        if (!store.markUsed(hash, ttl)) {
            store.revokeFamily(entry.familyId(), ttl);
            throw new InvalidTokenException(Reason.REUSED, "refresh token reused; family revoked");
        }
        return issue(entry.subject(), entry.claims(), entry.familyId());
    }

    /** Revokes the family of {@code refreshToken} (logout); unknown tokens are ignored. */
    public void revoke(String refreshToken) {
        store.find(hash(refreshToken)).ifPresent(entry -> store.revokeFamily(entry.familyId(), ttl));
    }

    private TokenPair issue(String subject, Map<String, Object> claims, String familyId) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String refreshToken = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant expiresAt = clock.instant().plus(ttl);
        store.save(hash(refreshToken), new RefreshTokenStore.Entry(familyId, subject, claims, expiresAt), ttl);
        return new TokenPair(issuer.issue(subject, claims), refreshToken, issuer.ttl());
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
