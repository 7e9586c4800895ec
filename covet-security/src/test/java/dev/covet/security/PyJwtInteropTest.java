package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Covet's tokens verify with PyJWT and PyJWT's tokens verify with Covet, for every algorithm both
 * support. Needs the system Python with PyJWT and cryptography:
 * {@code apt-get install -y python3-jwt python3-cryptography} (bin/test must install them).
 */
class PyJwtInteropTest {
    static final String PYTHON = "/usr/bin/python3";
    static final String SCRIPT = """
            import sys, json, jwt
            out = []
            for r in json.load(sys.stdin)["requests"]:
                if r["op"] == "decode":
                    try:
                        claims = jwt.decode(r["token"], r["key"], algorithms=[r["alg"]], audience="covet-tests", issuer="covet")
                        out.append({"ok": True, "sub": claims["sub"], "roles": claims.get("roles")})
                    except Exception as e:
                        out.append({"ok": False, "error": type(e).__name__})
                else:
                    out.append({"token": jwt.encode(r["claims"], r["key"], algorithm=r["alg"], headers=r["headers"])})
            print(json.dumps({"results": out}))
            """;
    static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    record Case(JwtAlgorithm algorithm, JwtKey key, String publicPem, String privatePem) { }

    static List<Case> cases;

    @BeforeAll
    static void requirePyJwt() throws Exception {
        Process check = new ProcessBuilder(PYTHON, "-c", "import jwt, cryptography").redirectErrorStream(true).start();
        if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
            fail("PyJWT is missing from " + PYTHON + ": run `apt-get install -y python3-jwt python3-cryptography` "
                    + "(bin/test installs it). Output: " + new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        cases = new ArrayList<>();
        cases.add(new Case(JwtAlgorithm.HS256, JwtKey.hmac("hs", JwtAlgorithm.HS256, SECRET.getBytes(StandardCharsets.US_ASCII)), SECRET, SECRET));
        cases.add(new Case(JwtAlgorithm.HS512, JwtKey.hmac("hs5", JwtAlgorithm.HS512, SECRET.getBytes(StandardCharsets.US_ASCII)), SECRET, SECRET));
        cases.add(asymmetric(JwtAlgorithm.RS256, generate("RSA", null)));
        cases.add(asymmetric(JwtAlgorithm.PS256, generate("RSA", null)));
        cases.add(asymmetric(JwtAlgorithm.ES256, generate("EC", "secp256r1")));
        cases.add(asymmetric(JwtAlgorithm.EdDSA, generate("Ed25519", null)));
    }

    static KeyPair generate(String type, String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
        if ("RSA".equals(type)) {
            generator.initialize(2048);
        } else if (curve != null) {
            generator.initialize(new ECGenParameterSpec(curve));
        }
        return generator.generateKeyPair();
    }

    static Case asymmetric(JwtAlgorithm algorithm, KeyPair pair) {
        return new Case(algorithm, JwtKey.of(algorithm.name().toLowerCase(), algorithm, pair),
                pem("PUBLIC KEY", pair.getPublic()), pem("PRIVATE KEY", pair.getPrivate()));
    }

    static String pem(String type, Key key) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END " + type + "-----\n";
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> python(List<Map<String, Object>> requests) throws Exception {
        Process process = new ProcessBuilder(PYTHON, "-c", SCRIPT).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(JSONObjectUtils.toJSONString(Map.of("requests", requests)).getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        process.getInputStream().transferTo(stdout);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(stderr).isZero();
        List<Object> results = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(stdout.toString(StandardCharsets.UTF_8)), "results");
        return results.stream().map(r -> (Map<String, Object>) r).toList();
    }

    @Test
    void tokensIssuedByCovetVerifyWithPyJwt() throws Exception {
        List<Map<String, Object>> requests = new ArrayList<>();
        for (Case c : cases) {
            String token = JwtIssuer.builder(JwtKeySet.of(c.key())).issuer("covet").audience("covet-tests").build()
                    .issue("alice", Map.of("roles", List.of("admin")));
            requests.add(Map.of("op", "decode", "token", token, "key", c.publicPem(), "alg", c.algorithm().name()));
        }
        List<Map<String, Object>> results = python(requests);
        for (int i = 0; i < cases.size(); i++) {
            assertThat(results.get(i)).as(cases.get(i).algorithm().name())
                    .containsEntry("ok", true).containsEntry("sub", "alice").containsEntry("roles", List.of("admin"));
        }
    }

    @Test
    void tokensIssuedByPyJwtVerifyWithCovet() throws Exception {
        List<Map<String, Object>> requests = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        for (Case c : cases) {
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("sub", "bob");
            claims.put("iss", "covet");
            claims.put("aud", "covet-tests");
            claims.put("iat", now);
            claims.put("exp", now + 300);
            claims.put("roles", List.of("ops"));
            requests.add(Map.of("op", "encode", "claims", claims, "key", c.privatePem(), "alg", c.algorithm().name(),
                    "headers", Map.of("kid", c.key().kid(), "typ", "at+jwt")));
        }
        List<Map<String, Object>> results = python(requests);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            AuthenticatedUser user = JwtVerifier.builder(JwtKeySet.of(c.key())).issuer("covet").audience("covet-tests").build()
                    .verify((String) results.get(i).get("token"));
            assertThat(user.subject()).as(c.algorithm().name()).isEqualTo("bob");
            assertThat(user.roles()).containsExactly("ops");
        }
    }

    @Test
    void aPyJwtTokenWithItsDefaultTypJwtIsNoAccessTokenForCovetUnlessConfigured() throws Exception {
        Case c = cases.get(4);
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = Map.of("sub", "bob", "iat", now, "exp", now + 300);
        List<Map<String, Object>> results = python(List.of(
                Map.of("op", "encode", "claims", claims, "key", c.privatePem(), "alg", c.algorithm().name(),
                        "headers", Map.of("kid", c.key().kid())),
                Map.of("op", "encode", "claims", claims, "key", c.privatePem(), "alg", c.algorithm().name(),
                        "headers", Map.of("kid", c.key().kid(), "typ", "refresh+jwt"))));
        String typJwt = (String) results.get(0).get("token");
        String typRefresh = (String) results.get(1).get("token");
        JwtVerifier strict = JwtVerifier.builder(JwtKeySet.of(c.key())).build();
        assertThat(JwtTest.refusal(strict, typJwt)).isEqualTo(InvalidTokenException.Reason.WRONG_TYPE);
        assertThat(JwtTest.refusal(strict, typRefresh)).isEqualTo(InvalidTokenException.Reason.WRONG_TYPE);
        JwtVerifier jwtToo = JwtVerifier.builder(JwtKeySet.of(c.key())).acceptTypes("at+jwt", "JWT").build();
        assertThat(jwtToo.verify(typJwt).subject()).isEqualTo("bob");
        assertThat(JwtTest.refusal(jwtToo, typRefresh)).isEqualTo(InvalidTokenException.Reason.WRONG_TYPE);
    }

    @Test
    void pyJwtRefusesACovetTokenForTheWrongAudienceAsCovetDoes() throws Exception {
        Case c = cases.get(2);
        String token = JwtIssuer.builder(JwtKeySet.of(c.key())).issuer("covet").audience("someone-else").build().issue("alice");
        assertThat(python(List.of(Map.of("op", "decode", "token", token, "key", c.publicPem(), "alg", c.algorithm().name()))).getFirst())
                .containsEntry("ok", false).containsEntry("error", "InvalidAudienceError");
    }
}
