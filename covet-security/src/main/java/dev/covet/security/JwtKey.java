package dev.covet.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.covet.security.internal.Base64Url;
import dev.covet.security.internal.Ed25519Jws;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key for signing or verifying tokens, bound to one {@link JwtAlgorithm} and named by a key id
 * ({@code kid}). Binding the algorithm to the key is what defeats algorithm confusion: a verifier
 * asks the key which algorithm it accepts and never believes the token's {@code alg} header.
 *
 * <pre>{@code
 * JwtKey key = JwtKey.generate("2026-01", JwtAlgorithm.ES256);
 * JwtKey shared = JwtKey.hmac("s1", JwtAlgorithm.HS256, secretBytes);   // >= 32 bytes for HS256
 * }</pre>
 */
public final class JwtKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String kid;
    private final JwtAlgorithm algorithm;
    private final byte[] secret;
    private final PublicKey publicKey;
    private final PrivateKey privateKey;
    // Built once: nimbus's signers and verifiers (and Ed25519Jws) are thread-safe, and building one per
    // token cost more than the verification itself in JwtBenchmark (an ECDSAVerifier checks its curve).
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    // HMAC keys only: a Mac keyed once. Mac is not thread-safe, so each verification clones it, which
    // skips the provider lookup and key schedule that nimbus's MACVerifier repeats for every token.
    private final Mac hmac;
    // What nimbus's verifiers read from a header is alg (and crit, which the lean path never lets through).
    private final JWSHeader algorithmOnlyHeader;

    private JwtKey(String kid, JwtAlgorithm algorithm, byte[] secret, PublicKey publicKey, PrivateKey privateKey) {
        if (kid == null || kid.isBlank()) {
            throw new IllegalArgumentException("A key needs a non-blank key id (kid)");
        }
        this.kid = kid;
        this.algorithm = algorithm;
        this.secret = secret;
        this.publicKey = publicKey;
        this.privateKey = privateKey;
        this.signer = secret != null || privateKey != null ? newSigner() : null;
        this.verifier = newVerifier();
        this.hmac = secret != null ? newMac() : null;
        this.algorithmOnlyHeader = new JWSHeader(algorithm.jws());
    }

    /**
     * A shared-secret key for HS256/384/512.
     *
     * @throws IllegalArgumentException if the algorithm is not HMAC or the secret is shorter than the
     *     hash (32, 48 or 64 bytes), as RFC 7518 section 3.2 requires
     */
    public static JwtKey hmac(String kid, JwtAlgorithm algorithm, byte[] secret) {
        if (!algorithm.isSymmetric()) {
            throw new IllegalArgumentException(algorithm + " is not an HMAC algorithm");
        }
        int minBytes = switch (algorithm) {
            case HS256 -> 32;
            case HS384 -> 48;
            default -> 64;
        };
        if (secret.length < minBytes) {
            throw new IllegalArgumentException(algorithm + " needs a secret of at least " + minBytes + " bytes, got "
                    + secret.length);
        }
        return new JwtKey(kid, algorithm, secret.clone(), null, null);
    }

    /**
     * A key pair for RS256, PS256, ES256 or EdDSA that signs and verifies; use {@link #verifyOnly} for a
     * key that only verifies.
     *
     * @throws IllegalArgumentException if the key pair does not fit the algorithm (type, curve, or an
     *     RSA modulus under 2048 bits)
     */
    public static JwtKey of(String kid, JwtAlgorithm algorithm, KeyPair keyPair) {
        checkPublicKey(algorithm, keyPair.getPublic());
        return new JwtKey(kid, algorithm, null, keyPair.getPublic(), keyPair.getPrivate());
    }

    /**
     * A public key that verifies tokens and cannot sign (for example a partner's key).
     *
     * @throws IllegalArgumentException if the key does not fit the algorithm
     */
    public static JwtKey verifyOnly(String kid, JwtAlgorithm algorithm, PublicKey publicKey) {
        checkPublicKey(algorithm, publicKey);
        return new JwtKey(kid, algorithm, null, publicKey, null);
    }

    /** A freshly generated key: 64 random bytes for HMAC, RSA-2048, P-256 or Ed25519. */
    public static JwtKey generate(String kid, JwtAlgorithm algorithm) {
        try {
            return switch (algorithm) {
                case HS256, HS384, HS512 -> {
                    byte[] secret = new byte[64];
                    RANDOM.nextBytes(secret);
                    yield hmac(kid, algorithm, secret);
                }
                case RS256, PS256 -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    yield of(kid, algorithm, generator.generateKeyPair());
                }
                case ES256 -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                    yield of(kid, algorithm, generator.generateKeyPair());
                }
                case EdDSA -> of(kid, algorithm, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot generate a " + algorithm + " key", e);
        }
    }

    private static void checkPublicKey(JwtAlgorithm algorithm, PublicKey key) {
        boolean fits = switch (algorithm) {
            case HS256, HS384, HS512 -> false;
            case RS256, PS256 -> key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048;
            case ES256 -> key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256;
            case EdDSA -> "Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm());
        };
        if (!fits) {
            throw new IllegalArgumentException("A " + key.getAlgorithm() + " key does not fit " + algorithm
                    + (algorithm.isSymmetric() ? " (use JwtKey.hmac)" : ""));
        }
    }

    /** The key id, written into the {@code kid} header of issued tokens. */
    public String kid() {
        return kid;
    }

    /** The one algorithm this key signs and verifies. */
    public JwtAlgorithm algorithm() {
        return algorithm;
    }

    /** True if this key holds a secret or private key and can sign. */
    public boolean canSign() {
        return secret != null || privateKey != null;
    }

    JWSSigner signer() {
        if (signer == null) {
            throw new IllegalStateException("Key " + kid + " can only verify");
        }
        return signer;
    }

    JWSVerifier verifier() {
        return verifier;
    }

    /**
     * True if the compact JWS in {@code ascii} carries this key's signature: {@code ascii[0, signedLength)}
     * is the signing input (header, dot, payload) and {@code ascii[signatureStart, end)} the base64url
     * signature. HMAC is checked here with a constant-time comparison; the other algorithms by this
     * key's nimbus verifier, as on the nimbus path. The caller has already matched {@code alg}.
     */
    boolean verifiesSignature(byte[] ascii, int signedLength, int signatureStart) {
        if (hmac != null) {
            byte[] signature;
            try {
                signature = Base64Url.decode(ascii, signatureStart, ascii.length);
            } catch (IllegalArgumentException e) {
                return false;  // not base64url: no signature at all
            }
            Mac mac = macForOneUse();
            mac.update(ascii, 0, signedLength);
            return MessageDigest.isEqual(mac.doFinal(), signature);
        }
        try {
            return verifier.verify(algorithmOnlyHeader, Arrays.copyOf(ascii, signedLength),
                    new Base64URL(new String(ascii, signatureStart, ascii.length - signatureStart, StandardCharsets.US_ASCII)));
        } catch (JOSEException | RuntimeException e) {
            return false;  // as JwtVerifier's nimbus path: a signature the verifier cannot even read is a bad one
        }
    }

    private Mac macForOneUse() {
        try {
            return (Mac) hmac.clone();
        } catch (CloneNotSupportedException e) {
            return newMac();  // a provider whose Mac cannot be cloned: key a new one (what nimbus does)
        }
    }

    private Mac newMac() {
        String name = switch (algorithm) {
            case HS256 -> "HmacSHA256";
            case HS384 -> "HmacSHA384";
            case HS512 -> "HmacSHA512";
            default -> throw new IllegalStateException(algorithm + " is not HMAC");
        };
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(secret, name));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot compute " + name, e);
        }
    }

    private JWSSigner newSigner() {
        try {
            return switch (algorithm) {
                case HS256, HS384, HS512 -> new MACSigner(secret);
                case RS256, PS256 -> new RSASSASigner(privateKey);
                case ES256 -> new ECDSASigner((ECPrivateKey) privateKey);
                case EdDSA -> Ed25519Jws.signer(privateKey);
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign with key " + kid, e);
        }
    }

    private JWSVerifier newVerifier() {
        try {
            return switch (algorithm) {
                case HS256, HS384, HS512 -> new MACVerifier(secret);
                case RS256, PS256 -> new RSASSAVerifier((RSAPublicKey) publicKey);
                case ES256 -> new ECDSAVerifier((ECPublicKey) publicKey);
                case EdDSA -> Ed25519Jws.verifier(publicKey);
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot verify with key " + kid, e);
        }
    }

    /** The public JWK of this key; empty for HMAC keys, whose secret is never published. */
    Optional<JWK> publicJwk() {
        return switch (algorithm) {
            case HS256, HS384, HS512 -> Optional.empty();
            case RS256, PS256 -> Optional.of(new RSAKey.Builder((RSAPublicKey) publicKey).keyID(kid)
                    .algorithm(algorithm.jws()).keyUse(KeyUse.SIGNATURE).build());
            case ES256 -> Optional.of(new ECKey.Builder(Curve.P_256, (ECPublicKey) publicKey).keyID(kid)
                    .algorithm(algorithm.jws()).keyUse(KeyUse.SIGNATURE).build());
            case EdDSA -> Optional.of(new OctetKeyPair.Builder(Curve.Ed25519,
                    Base64URL.encode(Ed25519Jws.rawPublicKey(publicKey))).keyID(kid)
                    .algorithm(algorithm.jws()).keyUse(KeyUse.SIGNATURE).build());
        };
    }

    /** The public key (empty for HMAC keys). */
    public Optional<PublicKey> publicKey() {
        return Optional.ofNullable(publicKey);
    }

    @Override
    public String toString() {
        // Never the secret or private key.
        return "JwtKey[kid=" + kid + ", alg=" + algorithm + (canSign() ? ", signs" : ", verifies only") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JwtKey k && k.kid.equals(kid) && k.algorithm == algorithm
                && Arrays.equals(k.secret, secret) && java.util.Objects.equals(k.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return kid.hashCode() * 31 + algorithm.hashCode();
    }
}
