package dev.covet.jmh;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.covet.security.AuthenticatedUser;
import dev.covet.security.JwtAlgorithm;
import dev.covet.security.JwtIssuer;
import dev.covet.security.JwtKey;
import dev.covet.security.JwtKeySet;
import dev.covet.security.JwtVerifier;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signs and verifies the same access token with Covet ({@link JwtIssuer}, {@link JwtVerifier}),
 * nimbus-jose-jwt used directly (what Covet is built on, so the difference is Covet's own cost), jjwt
 * and auth0 java-jwt, for HS256, RS256 and ES256, in one run.
 *
 * <p>The token is the one Covet issues: headers {@code alg kid typ: at+jwt}; claims {@code iss sub
 * aud iat exp jti roles}. Every library verifies the token Covet issued, with the same key, checking
 * the signature, {@code exp}, {@code iss} and {@code aud} (nimbus direct: parse, verify, read the
 * claims, check those three by hand, which is the least any caller must do). Covet also checks
 * {@code typ}, the header allow-list and {@code sub}, and builds its {@link AuthenticatedUser}.
 * {@link #setUp} fails the run unless every verifier accepts the token and refuses a tampered one.
 *
 * <p>{@link #verifyCovet} takes Covet's lean path (Jackson reads the header and claims; HMAC is
 * checked with the key's own {@code Mac}). {@link #verifyCovetNimbusPath} verifies the same claims in a
 * token whose header also carries a parameter the lean path does not read ({@code ver}), which sends
 * it down the nimbus path: what every token cost before the lean path, and what an unusual token costs now.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JwtBenchmark {
    private static final String ISSUER = "https://api.example.com";
    private static final String AUDIENCE = "web";
    private static final Map<String, Object> CLAIMS = Map.of("roles", List.of("admin"));

    @Param({"HS256", "RS256", "ES256"})
    public String alg;

    private String token;
    private String nimbusPathToken;
    private JwtIssuer covetIssuer;
    private JwtVerifier covetVerifier;
    private JWSSigner nimbusSigner;
    private JWSVerifier nimbusVerifier;
    private JWSHeader nimbusHeader;
    private JwtParser jjwtParser;
    private java.security.Key jjwtSigningKey;
    private io.jsonwebtoken.security.SecureDigestAlgorithm<java.security.Key, ?> jjwtAlgorithm;
    private Algorithm auth0Algorithm;
    private JWTVerifier auth0Verifier;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() throws Exception {
        JwtAlgorithm algorithm = JwtAlgorithm.valueOf(alg);
        JwtKey key;
        switch (algorithm) {
            case HS256 -> {
                byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
                key = JwtKey.hmac("k1", algorithm, secret);
                SecretKey secretKey = new SecretKeySpec(secret, "HmacSHA256");
                nimbusSigner = new MACSigner(secret);
                nimbusVerifier = new MACVerifier(secret);
                jjwtParser = Jwts.parser().verifyWith(secretKey).requireIssuer(ISSUER).requireAudience(AUDIENCE).build();
                jjwtSigningKey = secretKey;
                jjwtAlgorithm = (io.jsonwebtoken.security.SecureDigestAlgorithm<java.security.Key, ?>) (Object) Jwts.SIG.HS256;
                auth0Algorithm = Algorithm.HMAC256(secret);
            }
            case RS256 -> {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                key = JwtKey.of("k1", algorithm, pair);
                nimbusSigner = new RSASSASigner(pair.getPrivate());
                nimbusVerifier = new RSASSAVerifier((RSAPublicKey) pair.getPublic());
                jjwtParser = Jwts.parser().verifyWith(pair.getPublic()).requireIssuer(ISSUER).requireAudience(AUDIENCE).build();
                jjwtSigningKey = pair.getPrivate();
                jjwtAlgorithm = (io.jsonwebtoken.security.SecureDigestAlgorithm<java.security.Key, ?>) (Object) Jwts.SIG.RS256;
                auth0Algorithm = Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
            }
            case ES256 -> {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = generator.generateKeyPair();
                key = JwtKey.of("k1", algorithm, pair);
                nimbusSigner = new ECDSASigner((ECPrivateKey) pair.getPrivate());
                nimbusVerifier = new ECDSAVerifier((ECPublicKey) pair.getPublic());
                jjwtParser = Jwts.parser().verifyWith(pair.getPublic()).requireIssuer(ISSUER).requireAudience(AUDIENCE).build();
                jjwtSigningKey = pair.getPrivate();
                jjwtAlgorithm = (io.jsonwebtoken.security.SecureDigestAlgorithm<java.security.Key, ?>) (Object) Jwts.SIG.ES256;
                auth0Algorithm = Algorithm.ECDSA256((ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
            }
            default -> throw new IllegalArgumentException("not benchmarked: " + alg);
        }
        JwtKeySet keys = JwtKeySet.of(key);
        covetIssuer = JwtIssuer.builder(keys).issuer(ISSUER).audience(AUDIENCE).ttl(Duration.ofHours(1)).build();
        covetVerifier = JwtVerifier.builder(keys).issuer(ISSUER).audience(AUDIENCE).build();
        nimbusHeader = new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID("k1").type(new JOSEObjectType("at+jwt")).build();
        auth0Verifier = JWT.require(auth0Algorithm).withIssuer(ISSUER).withAudience(AUDIENCE).build();
        token = covetIssuer.issue("alice", CLAIMS);
        SignedJWT unusual = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID("k1")
                .type(new JOSEObjectType("at+jwt")).customParam("ver", "1").build(),
                SignedJWT.parse(token).getJWTClaimsSet());
        unusual.sign(nimbusSigner);
        nimbusPathToken = unusual.serialize();
        check(verifyCovet(nimbusPathToken).subject(), nimbusPathToken);

        // Every verifier must accept Covet's token and every signer's token, and refuse a tampered one.
        for (String signed : List.of(token, signNimbus(), signJjwt(), signAuth0())) {
            check(verifyCovet(signed).subject(), signed);
            check(verifyNimbus(signed).getSubject(), signed);
            check(verifyJjwt(signed).getSubject(), signed);
            check(verifyAuth0(signed).getSubject(), signed);
        }
        String tampered = token.substring(0, token.indexOf('.') + 1) + "eyJzdWIiOiJtYWxsb3J5In0" + token.substring(token.lastIndexOf('.'));
        for (Runnable verify : List.<Runnable>of(() -> verifyCovet(tampered), () -> verifyNimbus(tampered),
                () -> verifyJjwt(tampered), () -> verifyAuth0(tampered))) {
            boolean refused;
            try {
                verify.run();
                refused = false;
            } catch (RuntimeException e) {
                refused = true;
            }
            if (!refused) {
                throw new IllegalStateException("A verifier accepted a tampered " + alg + " token");
            }
        }
    }

    private static void check(String subject, String token) {
        if (!"alice".equals(subject)) {
            throw new IllegalStateException("Verified " + token + " as " + subject);
        }
    }

    @Benchmark
    public String signCovet() {
        return covetIssuer.issue("alice", CLAIMS);
    }

    @Benchmark
    public String signNimbus() throws Exception {
        Date now = new Date();
        SignedJWT jwt = new SignedJWT(nimbusHeader, new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice")
                .audience(AUDIENCE).issueTime(now).expirationTime(new Date(now.getTime() + 3_600_000))
                .jwtID(UUID.randomUUID().toString()).claim("roles", List.of("admin")).build());
        jwt.sign(nimbusSigner);
        return jwt.serialize();
    }

    @Benchmark
    public String signJjwt() {
        Date now = new Date();
        return Jwts.builder().header().keyId("k1").type("at+jwt").and().issuer(ISSUER).subject("alice")
                .audience().add(AUDIENCE).and().issuedAt(now).expiration(new Date(now.getTime() + 3_600_000))
                .id(UUID.randomUUID().toString()).claim("roles", List.of("admin"))
                .signWith(jjwtSigningKey, jjwtAlgorithm).compact();
    }

    @Benchmark
    public String signAuth0() {
        Date now = new Date();
        return JWT.create().withKeyId("k1").withHeader(Map.of("typ", "at+jwt")).withIssuer(ISSUER).withSubject("alice")
                .withAudience(AUDIENCE).withIssuedAt(now).withExpiresAt(new Date(now.getTime() + 3_600_000))
                .withJWTId(UUID.randomUUID().toString()).withClaim("roles", List.of("admin")).sign(auth0Algorithm);
    }

    @Benchmark
    public AuthenticatedUser verifyCovet() {
        return verifyCovet(token);
    }

    @Benchmark
    public AuthenticatedUser verifyCovetNimbusPath() {
        return verifyCovet(nimbusPathToken);
    }

    @Benchmark
    public JWTClaimsSet verifyNimbus() {
        return verifyNimbus(token);
    }

    @Benchmark
    public Claims verifyJjwt() {
        return verifyJjwt(token);
    }

    @Benchmark
    public com.auth0.jwt.interfaces.DecodedJWT verifyAuth0() {
        return verifyAuth0(token);
    }

    private AuthenticatedUser verifyCovet(String jwt) {
        return covetVerifier.verify(jwt);
    }

    private JWTClaimsSet verifyNimbus(String serialized) {
        try {
            SignedJWT jwt = SignedJWT.parse(serialized);
            if (!jwt.verify(nimbusVerifier)) {
                throw new IllegalArgumentException("bad signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (claims.getExpirationTime() == null || claims.getExpirationTime().getTime() < System.currentTimeMillis()
                    || !ISSUER.equals(claims.getIssuer()) || claims.getAudience() == null
                    || !claims.getAudience().contains(AUDIENCE)) {
                throw new IllegalArgumentException("claims refused");
            }
            return claims;
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Claims verifyJjwt(String jwt) {
        return jjwtParser.parseSignedClaims(jwt).getPayload();
    }

    private com.auth0.jwt.interfaces.DecodedJWT verifyAuth0(String jwt) {
        return auth0Verifier.verify(jwt);
    }
}
