package dev.covet.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@link RefreshTokens} keeps refresh tokens: {@link InMemoryRefreshTokenStore} for one
 * instance, {@link RedisRefreshTokenStore} when several instances share them. Tokens are stored
 * under the SHA-256 of their value, never the value itself. Implementations must be thread-safe and
 * {@link #markUsed} must be atomic across every instance sharing the store.
 */
public interface RefreshTokenStore {

    /** A stored refresh token: its family (all tokens rotated from one login), owner and claims. */
    record Entry(String familyId, String subject, Map<String, Object> claims, Instant expiresAt) {
        public Entry {
            claims = Map.copyOf(claims);
        }
    }

    /** Stores a new token under {@code tokenHash} for {@code ttl}. */
    void save(String tokenHash, Entry entry, Duration ttl);

    /** The token stored under {@code tokenHash}, if any and not expired. */
    Optional<Entry> find(String tokenHash);

    /** Marks a token used; returns true for exactly one caller, false if it was used before. */
    boolean markUsed(String tokenHash, Duration ttl);

    /** Revokes every token of a family, for {@code ttl} (the refresh token lifetime). */
    void revokeFamily(String familyId, Duration ttl);

    /** True if the family was revoked. */
    boolean isFamilyRevoked(String familyId);
}
