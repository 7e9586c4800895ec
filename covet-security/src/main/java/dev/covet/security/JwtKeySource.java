package dev.covet.security;

import java.util.Optional;

/**
 * Where a {@link JwtVerifier} finds the key for a token: a local {@link JwtKeySet} or a
 * {@link RemoteJwks}. Implementations must be thread-safe.
 */
public interface JwtKeySource {

    /** The key with id {@code kid}, if this source has it. */
    Optional<JwtKey> byKid(String kid);

    /**
     * The key to use for a token without a {@code kid} header: present only when this source holds
     * exactly one verification key, so a token never gets to choose among several.
     */
    Optional<JwtKey> onlyKey();
}
