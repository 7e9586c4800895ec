package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.covet.security.InvalidTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lean verification path ({@link JwtVerifier#leanClaims}, {@link CompactJws}) against the nimbus
 * path ({@link JwtVerifier#nimbusClaims}): the same corpus of a few thousand tokens goes to both, and
 * every token the lean path decides must get the same verdict from nimbus: accepted with equal claims,
 * or refused for the same {@link Reason}. Tokens the lean path hands over (it returns null) are decided
 * by nimbus alone, so {@link JwtVerifier#verify} agrees on them by construction; the test also checks
 * that the lean path does decide every ordinary token, so "always hand over" cannot pass for agreement.
 *
 * <p>The corpus: valid tokens for seven keys (HS256/384/512, RS256, PS256, ES256, EdDSA); headers with
 * wrong, missing or odd {@code alg}, {@code kid}, {@code typ}, refused parameters, non-strict JSON;
 * claims with every {@code exp}/{@code nbf}/{@code iat}/{@code iss}/{@code aud}/{@code sub} variant and
 * odd JSON (duplicates, big numbers, nesting, invalid UTF-8); tampered, stripped, re-spelled and padded
 * signatures; whitespace, extra dots, empty and huge segments; and, from a seeded mutator, random edits
 * of valid tokens and random edits of the header or claims JSON <em>re-signed with the right key</em>,
 * which is what reaches the JSON readers.
 */
class JwtDifferentialTest {
    static final long SEED = 20261130L;
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final long T = NOW.getEpochSecond();
    static final String ISSUER = "https://issuer.test";

    static List<JwtKey> keys;
    static JwtKey hs256;
    static List<JwtVerifier> verifiers;

    @BeforeAll
    static void keysAndVerifiers() {
        keys = new ArrayList<>();
        for (JwtAlgorithm algorithm : JwtAlgorithm.values()) {
            keys.add(JwtKey.generate(algorithm.name().toLowerCase(), algorithm));
        }
        hs256 = keys.getFirst();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        JwtKeySet all = JwtKeySet.of(hs256, keys.subList(1, keys.size()).toArray(JwtKey[]::new));
        verifiers = List.of(
                JwtVerifier.builder(all).clock(clock).issuer(ISSUER).audience("web").build(),
                JwtVerifier.builder(JwtKeySet.of(hs256)).clock(clock).acceptUntypedTokens()
                        .acceptTypes("at+jwt", "JWT").requireClaims("jti").rolesClaim("groups").build());
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** header.payload.signature with {@code key}'s signature over exactly these bytes. */
    static String signed(JwtKey key, byte[] header, byte[] claims) {
        String input = b64(header) + "." + b64(claims);
        try {
            return input + "." + key.signer().sign(new JWSHeader(key.algorithm().jws()), input.getBytes(StandardCharsets.US_ASCII));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static String signed(JwtKey key, String header, String claims) {
        return signed(key, utf8(header), utf8(claims));
    }

    static String header(JwtKey key) {
        return "{\"alg\":\"" + key.algorithm().name() + "\",\"kid\":\"" + key.kid() + "\",\"typ\":\"at+jwt\"}";
    }

    static String claims(String extra) {
        return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\",\"aud\":[\"web\"],\"iat\":" + (T - 10) + ",\"exp\":" + (T + 600)
                + ",\"jti\":\"j-1\",\"roles\":[\"admin\"],\"scope\":\"read write\"" + extra + "}";
    }

    /** Accepted with these claims, or refused for this reason. */
    record Verdict(Map<String, Object> claims, Reason refused) {
        static Verdict of(JwtVerifier verifier, boolean lean, String token) {
            try {
                JWTClaimsSet claims = lean ? verifier.leanClaims(token) : verifier.nimbusClaims(token);
                return claims == null ? null : new Verdict(claims.getClaims(), null);
            } catch (InvalidTokenException e) {
                return new Verdict(null, e.reason());
            }
        }

        @Override
        public String toString() {
            return refused != null ? "refused " + refused : "accepted " + claims;
        }
    }

    static List<String> corpus() {
        List<String> tokens = new ArrayList<>();
        String good = claims("");
        for (JwtKey key : keys) {
            String h = header(key);
            String alg = key.algorithm().name();
            tokens.add(signed(key, h, good));
            // header variants
            tokens.add(signed(key, "{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\"}", good));
            tokens.add(signed(key, "{\"alg\":\"" + alg + "\",\"kid\":\"" + key.kid() + "\"}", good));
            for (String typ : List.of("JWT", "jwt", "application/at+jwt", "AT+JWT", " at+jwt ", "", "id+jwt")) {
                tokens.add(signed(key, "{\"alg\":\"" + alg + "\",\"kid\":\"" + key.kid() + "\",\"typ\":\"" + typ + "\"}", good));
            }
            for (String other : List.of("HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA", "none", "None", "NONE", "", "hs256")) {
                tokens.add(signed(key, "{\"alg\":\"" + other + "\",\"kid\":\"" + key.kid() + "\",\"typ\":\"at+jwt\"}", good));
            }
            String kidTyp = "\"kid\":\"" + key.kid() + "\",\"typ\":\"at+jwt\"";
            for (String odd : List.of(
                    "{" + kidTyp + "}",
                    "{\"alg\":\"" + alg + "\",\"kid\":\"nobody\",\"typ\":\"at+jwt\"}",
                    "{\"alg\":\"" + alg + "\",\"kid\":7,\"typ\":\"at+jwt\"}",
                    "{\"alg\":\"" + alg + "\",\"kid\":null,\"typ\":\"at+jwt\"}",
                    "{\"alg\":\"" + alg + "\",\"kid\":\"" + key.kid() + "\",\"typ\":null}",
                    "{\"alg\":\"" + alg + "\",\"kid\":\"" + key.kid() + "\",\"typ\":[\"at+jwt\"]}",
                    "{\"alg\":[\"" + alg + "\"]," + kidTyp + "}",
                    "{\"alg\":\"" + alg + "\",\"alg\":\"" + alg + "\"," + kidTyp + "}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",\"crit\":[\"exp\"],\"exp\":1}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",\"jku\":\"https://evil.test/jwks\"}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",\"x5u\":\"https://evil.test/cert\"}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",\"x5c\":[\"AAAA\"]}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",\"b64\":false,\"crit\":[\"b64\"]}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",\"enc\":\"A128GCM\"}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",\"cty\":\"JWT\"}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",\"x-app\":\"1\"}",
                    " {\"alg\":\"" + alg + "\"," + kidTyp + "}",
                    "{ \"alg\" : \"" + alg + "\" ,\t\n" + kidTyp + " }\n",
                    "\uFEFF{\"alg\":\"" + alg + "\"," + kidTyp + "}",
                    "{'alg':'" + alg + "'," + kidTyp + "}",
                    "{alg:\"" + alg + "\"," + kidTyp + "}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + ",}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + "} x",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + "}{}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp + "} /* */",
                    "{\"\\u0061lg\":\"" + alg + "\"," + kidTyp + "}",
                    "{\"alg\":\"" + alg + "\"," + kidTyp.replace("at+jwt", "at\\u002bjwt") + "}",
                    "[\"" + alg + "\"]", "\"" + alg + "\"", "null", "{}", "", "{\"alg\":\"none\"}")) {
                tokens.add(signed(key, odd, good));
            }
            // claims variants
            List<String> claimVariants = new ArrayList<>(List.of(
                    claims(",\"nbf\":" + (T - 5)),
                    claims(",\"nbf\":" + (T + 30)), claims(",\"nbf\":" + (T + 61)), claims(",\"nbf\":" + (T + 3600)),
                    claims(",\"groups\":[\"ops\",7,null]"), claims(",\"groups\":\"ops\""), claims(",\"scp\":[\"a\",\"b\"]"),
                    claims(",\"n\":{\"deep\":[1,2.5,-0,1e2,9223372036854775807,9223372036854775808,1e400,true,null,{}]}"),
                    claims(",\"s\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\"\\n\""),
                    claims(",\"dup\":{\"a\":1,\"a\":2}"), claims(",\"jti\":\"again\""), claims(",\"x\":null"),
                    claims(",\"x\":01"), claims(",\"x\":NaN"), claims(",\"x\":'single'"), claims(",\"x\":[1,]")
                            .replace("[1,]", "[1,]"),
                    claims("") + " ", claims("") + " x", claims("") + "{}", " " + claims(""), "\uFEFF" + claims(""),
                    "{}", "[]", "null", "", "\"alice\"",
                    "{\"sub\":\"alice\",\"exp\":" + (T + 600) + "}",
                    "{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\",\"aud\":\"web\",\"exp\":" + (T + 600) + ",\"jti\":\"j\"}"));
            for (String exp : List.of(String.valueOf(T - 59), String.valueOf(T - 61), String.valueOf(T - 3600), "\"" + (T + 600) + "\"",
                    (T + 600) + ".9", (T + 600) + "e0", "null", "-1", "0", "99999999999999999999", "1e300", "true", "[" + (T + 600) + "]")) {
                claimVariants.add(claims("").replace("\"exp\":" + (T + 600), "\"exp\":" + exp));
            }
            for (String iat : List.of(String.valueOf(T + 59), String.valueOf(T + 61), "\"x\"", "null", (T + 0.5) + "")) {
                claimVariants.add(claims("").replace("\"iat\":" + (T - 10), "\"iat\":" + iat));
            }
            for (String iss : List.of("\"https://other.test\"", "null", "7", "[\"" + ISSUER + "\"]", "\"" + ISSUER + "/\"")) {
                claimVariants.add(claims("").replace("\"iss\":\"" + ISSUER + "\"", "\"iss\":" + iss));
            }
            for (String aud : List.of("\"web\"", "[\"mobile\",\"web\"]", "[\"mobile\"]", "[]", "null", "7", "[7]", "[\"web\",7]", "{\"web\":1}")) {
                claimVariants.add(claims("").replace("\"aud\":[\"web\"]", "\"aud\":" + aud));
            }
            for (String sub : List.of("\"\"", "\"  \"", "null", "42", "4.2", "true", "[\"alice\"]", "{\"id\":1}")) {
                claimVariants.add(claims("").replace("\"sub\":\"alice\"", "\"sub\":" + sub));
            }
            for (String jti : List.of("7", "null", "[\"j\"]")) {
                claimVariants.add(claims("").replace("\"jti\":\"j-1\"", "\"jti\":" + jti));
            }
            claimVariants.add(claims("").replace("\"iss\":\"" + ISSUER + "\",", ""));
            claimVariants.add(claims("").replace("\"aud\":[\"web\"],", ""));
            claimVariants.add(claims("").replace("\"jti\":\"j-1\",", ""));
            for (String c : claimVariants) {
                tokens.add(signed(key, h, c));
            }
            tokens.add(signed(key, utf8(h), new byte[] {'{', '"', 's', 'u', 'b', '"', ':', '"', (byte) 0xC3, '"', '}'}));
            tokens.add(signed(key, utf8(h), utf8(claims(",\"bad\":\"\u0001\""))));
            tokens.add(signed(key, utf8(h), utf8(claims(",\"deep\":" + "[".repeat(300) + "]".repeat(300)))));
            // signature and structure variants of a valid token
            String valid = signed(key, h, good);
            int lastDot = valid.lastIndexOf('.');
            String input = valid.substring(0, lastDot);
            String signature = valid.substring(lastDot + 1);
            tokens.add(input + ".");
            tokens.add(input + "." + signature.substring(1));
            tokens.add(input + "." + signature.substring(0, signature.length() - 1));
            tokens.add(input + "." + signature + "A");
            tokens.add(input + "." + signature + "AA");
            tokens.add(input + "." + signature + "=");
            tokens.add(input + "." + signature + "==");
            tokens.add(input + "." + respelled(signature));
            tokens.add(input + "." + b64(new byte[Base64.getUrlDecoder().decode(signature).length]));
            tokens.add(input + "." + signature.replace('-', '+').replace('_', '/'));
            tokens.add(valid + ".");
            tokens.add(valid + "." + signature);
            tokens.add(" " + valid);
            tokens.add(valid + " ");
            tokens.add(valid.replaceFirst("\\.", ". "));
            tokens.add(valid.substring(0, valid.indexOf('.')));
            tokens.add(input);
            tokens.add("." + valid.substring(valid.indexOf('.') + 1));
            tokens.add(valid.substring(0, valid.indexOf('.') + 1) + "." + signature);
            String[] parts = valid.split("\\.");
            tokens.add(parts[1] + "." + parts[0] + "." + parts[2]);
            tokens.add(respelled(parts[0]) + "." + parts[1] + "." + parts[2]);
            tokens.add(parts[0] + "." + respelled(parts[1]) + "." + parts[2]);
            tokens.add(parts[0] + "." + parts[1] + "A." + parts[2]);
            tokens.add(parts[0] + "." + parts[1] + "." + parts[2].toUpperCase());
            tokens.add(parts[0] + "." + signed(key, h, claims(",\"role\":\"root\"")).split("\\.")[1] + "." + parts[2]);
        }
        // size limits, on the HS256 key
        String pad = "x".repeat(JwtVerifier.MAX_TOKEN_LENGTH);
        tokens.add(signed(hs256, header(hs256), claims(",\"pad\":\"" + pad + "\"")));
        String fits = signed(hs256, header(hs256), claims(",\"pad\":\"\""));
        int room = (JwtVerifier.MAX_TOKEN_LENGTH - fits.length()) * 3 / 4 - 4;
        tokens.add(signed(hs256, header(hs256), claims(",\"pad\":\"" + "y".repeat(room) + "\"")));
        tokens.add(signed(hs256, header(hs256), claims(",\"pad\":\"" + "y".repeat(room + 8) + "\"")));
        tokens.addAll(List.of("", ".", "..", "...", "a.b.c", "a.b", "x".repeat(20_000)));
        return tokens;
    }

    /** The same bytes with the last character's unused bits set: what a lenient decoder reads alike. */
    static String respelled(String segment) {
        int rest = segment.length() % 4;
        if (rest == 0) {
            return segment + "A";  // not a respelling, but a non-canonical length
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int value = alphabet.indexOf(segment.charAt(segment.length() - 1));
        return segment.substring(0, segment.length() - 1) + alphabet.charAt(value | (rest == 2 ? 0x0f : 0x03));
    }

    static List<String> mutations(Random random, int count) {
        List<String> tokens = new ArrayList<>();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.= +/";
        String jsonBytes = "{}[]\":,.0123456789-+eE truefalsnul\\/ \t\n'xk";
        for (int i = 0; i < count; i++) {
            JwtKey key = keys.get(random.nextInt(keys.size()));
            if (random.nextBoolean()) {
                // Edits of a valid token's text: mostly refused before or at the signature.
                StringBuilder token = new StringBuilder(signed(key, header(key), claims("")));
                for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                    int at = random.nextInt(token.length());
                    switch (random.nextInt(3)) {
                        case 0 -> token.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 1 -> token.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        default -> token.deleteCharAt(at);
                    }
                }
                tokens.add(token.toString());
            } else {
                // Edits of the header or claims JSON, re-signed: these reach the JSON readers.
                boolean inHeader = random.nextInt(3) == 0;
                byte[] json = utf8(inHeader ? header(key) : claims(",\"n\":[1,2.5,{\"a\":null}]"));
                List<Byte> bytes = new ArrayList<>();
                for (byte b : json) {
                    bytes.add(b);
                }
                for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                    int at = random.nextInt(bytes.size());
                    byte b = random.nextInt(10) == 0 ? (byte) random.nextInt(256) : (byte) jsonBytes.charAt(random.nextInt(jsonBytes.length()));
                    switch (random.nextInt(3)) {
                        case 0 -> bytes.set(at, b);
                        case 1 -> bytes.add(at, b);
                        default -> bytes.remove(at);
                    }
                }
                byte[] edited = new byte[bytes.size()];
                for (int j = 0; j < edited.length; j++) {
                    edited[j] = bytes.get(j);
                }
                tokens.add(inHeader ? signed(key, edited, utf8(claims(""))) : signed(key, utf8(header(key)), edited));
            }
        }
        return tokens;
    }

    @Test
    void theLeanPathAndNimbusGiveEveryTokenTheSameVerdict() {
        List<String> tokens = corpus();
        tokens.addAll(mutations(new Random(SEED), 3_000));
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (JwtVerifier verifier : verifiers) {
            for (String token : tokens) {
                Verdict nimbus = Verdict.of(verifier, false, token);
                Verdict lean = Verdict.of(verifier, true, token);
                String kind = lean == null ? "handed over" : "decided";
                counts.merge(kind + (nimbus.refused == null ? ", accepted" : ", refused"), 1, Integer::sum);
                if (lean != null && !lean.equals(nimbus)) {
                    disagreements.add("lean " + lean + ", nimbus " + nimbus + ": " + token);
                }
                // verify() is lean-then-nimbus: whatever the lean path does, the verdict is nimbus's.
                assertThat(Verdict.of(verifier, false, token)).isEqualTo(nimbus);
            }
        }
        System.out.println("JwtDifferentialTest: " + tokens.size() + " tokens x " + verifiers.size() + " verifiers: " + counts);
        assertThat(disagreements).as("tokens the two paths disagree on").isEmpty();
        assertThat(tokens.size()).isGreaterThan(4_000);
        // The lean path must decide the bulk, accepted tokens included, or agreement proves nothing.
        assertThat(counts.getOrDefault("decided, accepted", 0)).isGreaterThan(300);
        assertThat(counts.getOrDefault("decided, refused", 0)).isGreaterThan(2_000);
    }

    @Test
    void theLeanPathDecidesEveryOrdinaryTokenOfEachKey() {
        for (JwtKey key : keys) {
            String token = signed(key, header(key), claims(""));
            JWTClaimsSet lean = verifiers.getFirst().leanClaims(token);
            assertThat(lean).as(key.algorithm().name()).isNotNull();
            assertThat(lean.getClaims()).isEqualTo(verifiers.getFirst().nimbusClaims(token).getClaims());
            assertThat(verifiers.getFirst().verify(token).subject()).isEqualTo("alice");
        }
    }

    @Test
    void oneHmacKeyVerifiesCorrectlyFromManyThreadsAtOnce() throws Exception {
        // The key's Mac is shared and cloned per token: clones taken concurrently must not mix state.
        JwtVerifier verifier = verifiers.getFirst();
        List<String> valid = new ArrayList<>();
        List<String> forged = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String token = signed(hs256, header(hs256), claims(",\"n\":" + i));
            valid.add(token);
            String other = signed(hs256, header(hs256), claims(",\"n\":" + (i + 1000)));
            forged.add(token.substring(0, token.lastIndexOf('.') + 1) + other.substring(other.lastIndexOf('.') + 1));
        }
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int round = 0; round < 40; round++) {
                    for (int i = 0; i < valid.size(); i++) {
                        try {
                            if (!Long.valueOf(i).equals(verifier.verify(valid.get(i)).claims().get("n"))) {
                                wrong.incrementAndGet();
                            }
                        } catch (InvalidTokenException e) {
                            wrong.incrementAndGet();
                        }
                        try {
                            verifier.verify(forged.get(i));
                            wrong.incrementAndGet();
                        } catch (InvalidTokenException e) {
                            if (e.reason() != Reason.BAD_SIGNATURE) {
                                wrong.incrementAndGet();
                            }
                        }
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong).hasValue(0);
    }

    @Test
    void aSignatureRespelledWithTheSameBytesIsRefusedByBothPaths() {
        String token = signed(hs256, header(hs256), claims(""));
        String respelled = token.substring(0, token.lastIndexOf('.') + 1) + respelled(token.substring(token.lastIndexOf('.') + 1));
        assertThat(respelled).isNotEqualTo(token);
        for (boolean lean : new boolean[] {true, false}) {
            assertThat(Objects.requireNonNull(Verdict.of(verifiers.getFirst(), lean, respelled)).refused).isEqualTo(Reason.MALFORMED);
        }
    }
}
