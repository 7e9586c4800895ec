package dev.covet.security;

import com.nimbusds.jose.JWSAlgorithm;

/**
 * The signature algorithms Covet issues and verifies. A {@link JwtKey} is bound to exactly one of
 * them; the {@code alg} header of an incoming token must name the algorithm of the key it selects,
 * or the token is refused.
 */
public enum JwtAlgorithm {
    /** HMAC with SHA-256; the secret must have at least 256 bits. */
    HS256(JWSAlgorithm.HS256),
    /** HMAC with SHA-384; the secret must have at least 384 bits. */
    HS384(JWSAlgorithm.HS384),
    /** HMAC with SHA-512; the secret must have at least 512 bits. */
    HS512(JWSAlgorithm.HS512),
    /** RSASSA-PKCS1-v1_5 with SHA-256 (RSA keys of at least 2048 bits). */
    RS256(JWSAlgorithm.RS256),
    /** RSASSA-PSS with SHA-256 (RSA keys of at least 2048 bits). */
    PS256(JWSAlgorithm.PS256),
    /** ECDSA on P-256 with SHA-256. */
    ES256(JWSAlgorithm.ES256),
    /** EdDSA with Ed25519 (RFC 8037). */
    EdDSA(JWSAlgorithm.EdDSA);

    private final JWSAlgorithm jws;

    JwtAlgorithm(JWSAlgorithm jws) {
        this.jws = jws;
    }

    JWSAlgorithm jws() {
        return jws;
    }

    /** True for the HMAC algorithms, whose key is a shared secret (never published in a JWKS). */
    public boolean isSymmetric() {
        return this == HS256 || this == HS384 || this == HS512;
    }
}
