package dev.covet.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.covet.security.InvalidTokenException.Reason;
import dev.covet.security.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies signed tokens. The design rule: <b>the configured key decides, the token never does</b>.
 *
 * <ol>
 * <li>The token must be a compact JWS: three parts of canonical base64url (RFC 7515 section 2: no padding,
 *     no unused bits set, so a signature cannot be re-spelled); unsecured tokens ({@code alg: none}) are refused.
 * <li>Headers that point at other keys ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) and
 *     {@code crit} are refused: keys come only from the configured {@link JwtKeySource}.
 * <li>The key is chosen by {@code kid}; a token without {@code kid} is accepted only when the source
 *     holds a single key. An unknown {@code kid} is refused.
 * <li>The {@code alg} header must equal the key's algorithm, so an RSA public key can never be used
 *     as an HMAC secret (algorithm confusion).
 * <li>The {@code typ} header must say access token ({@code at+jwt}, RFC 9068 section 4), so an ID
 *     token, a refresh token or any other JWT signed with the same key is not taken for one. Tokens
 *     without {@code typ} are refused unless {@link Builder#acceptUntypedTokens()}; other types only
 *     with {@link Builder#acceptTypes}.
 * <li>Then the signature, then the claims: {@code exp} is required; {@code exp}, {@code nbf} and
 *     {@code iat} are checked with the configured clock skew; {@code iss}, {@code aud} and required
 *     claims when configured; {@code sub} is required.
 * </ol>
 *
 * <p>Two paths apply these rules. The lean path ({@link CompactJws}) reads ordinary tokens (a header of
 * {@code alg}, {@code kid} and {@code typ} only) with Jackson and checks an HMAC with the key's own
 * {@code Mac}; every other token takes the nimbus path, nimbus-jose-jwt parsing and verifying as it
 * always did. Both refuse anything but three canonical base64url parts. {@code JwtDifferentialTest}
 * feeds both the same few thousand tokens and requires the same verdicts; see docs/security.md and
 * docs/adr/0008-lean-jwt-verification-path.md.
 */
public final class JwtVerifier {
    /** Default tolerance for clocks that disagree. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** The largest clock skew a verifier accepts: a token is never valid later than this past its {@code exp}. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** Longer tokens are refused before parsing. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;
    /** The {@code typ} header of access tokens (RFC 9068 section 2.1): what {@link JwtIssuer} writes and this class requires. */
    public static final String ACCESS_TOKEN_TYPE = "at+jwt";
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jku", "x5u", "jwk", "x5c", "crit");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final JwtKeySource keys;
    private final String issuer;
    private final Set<String> audiences;
    private final Duration skew;
    private final Set<String> requiredClaims;
    private final String rolesClaim;
    private final Clock clock;
    private final Set<String> acceptedTypes;
    private final boolean acceptUntyped;

    private JwtVerifier(Builder b) {
        this.keys = b.keys;
        this.issuer = b.issuer;
        this.audiences = Set.copyOf(b.audiences);
        this.skew = b.skew;
        this.requiredClaims = Set.copyOf(b.requiredClaims);
        this.rolesClaim = b.rolesClaim;
        this.clock = b.clock;
        this.acceptedTypes = Set.copyOf(b.acceptedTypes);
        this.acceptUntyped = b.acceptUntyped;
    }

    public static Builder builder(JwtKeySource keys) {
        return new Builder(keys);
    }

    /**
     * Verifies {@code token} and returns its user.
     *
     * @throws InvalidTokenException with the {@link Reason} it was refused for
     */
    public AuthenticatedUser verify(String token) {
        return toUser(verifiedClaims(token));
    }

    JWTClaimsSet verifiedClaims(String token) {
        JWTClaimsSet claims = leanClaims(token);
        return claims != null ? claims : nimbusClaims(token);
    }

    /**
     * The lean path (see {@link CompactJws}): the same checks in the same order as
     * {@link #nimbusClaims}, on a header and claims read with Jackson and a signature checked by the
     * key itself. Returns null, having decided nothing, for a token it does not read; the nimbus path
     * then decides.
     */
    JWTClaimsSet leanClaims(String token) {
        int[] dots = compactJwsDots(token);
        int firstDot = dots[0];
        int secondDot = dots[1];
        if (secondDot == token.length() - 1) {
            return null;  // no signature: nimbus refuses it as malformed, or as unsecured for alg none
        }
        byte[] ascii = token.getBytes(StandardCharsets.US_ASCII);  // compactJwsDots let only ASCII through
        CompactJws.Header header = CompactJws.header(Base64Url.decode(ascii, 0, firstDot));
        if (header == null) {
            return null;
        }
        JwtKey key = key(header.kid());
        if (!key.algorithm().jws().getName().equals(header.alg())) {
            throw algorithmMismatch(key, header.alg());
        }
        if (!key.verifiesSignature(ascii, secondDot, secondDot + 1)) {
            throw badSignature(key);
        }
        checkType(header.typ());
        Map<String, Object> json = CompactJws.claims(Base64Url.decode(ascii, firstDot + 1, secondDot));
        if (json == null) {
            return null;
        }
        JWTClaimsSet claims;
        try {
            claims = JWTClaimsSet.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "claims do not parse");
        }
        checkClaims(claims);
        return claims;
    }

    /** The reference path: nimbus parses, verifies and reads the claims; Covet's checks around it. */
    JWTClaimsSet nimbusClaims(String token) {
        compactJwsDots(token);
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            // RuntimeException: nimbus 10.10 throws a NullPointerException for the header "null".
            String header = token.substring(0, token.indexOf('.'));
            if (looksUnsecured(header)) {
                throw new InvalidTokenException(Reason.UNSECURED, "alg none");
            }
            throw new InvalidTokenException(Reason.MALFORMED, "does not parse");
        }
        JWSHeader header = jwt.getHeader();
        for (String name : header.getIncludedParams()) {
            if (FORBIDDEN_HEADERS.contains(name)) {
                throw new InvalidTokenException(Reason.FORBIDDEN_HEADER, "header " + name + " is not accepted");
            }
        }
        JwtKey key = key(header.getKeyID());
        if (!key.algorithm().jws().equals(header.getAlgorithm())) {
            throw algorithmMismatch(key, header.getAlgorithm().getName());
        }
        boolean valid;
        try {
            valid = jwt.verify(key.verifier());
        } catch (JOSEException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw badSignature(key);
        }
        checkType(header.getType() == null ? null : header.getType().getType());
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "claims do not parse");
        }
        checkClaims(claims);
        return claims;
    }

    /** The key named by {@code kid}, or the only key when there is no {@code kid}. */
    private JwtKey key(String kid) {
        return (kid == null ? keys.onlyKey() : keys.byKid(kid))
                .orElseThrow(() -> new InvalidTokenException(Reason.UNKNOWN_KEY, "no such key"));
    }

    private static InvalidTokenException algorithmMismatch(JwtKey key, String alg) {
        return new InvalidTokenException(Reason.ALGORITHM_MISMATCH, "key " + key.kid() + " is "
                + key.algorithm() + ", the token claims " + printable(alg));
    }

    /**
     * The token's {@code alg} as it may appear in a message that gets logged: a client wrote it, so
     * anything but a plausible algorithm name (a line break forging a log line, say) is not repeated.
     */
    static String printable(String alg) {
        return alg != null && alg.length() <= 16 && alg.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '+')) ? alg : "an unrecognised algorithm";
    }

    private static InvalidTokenException badSignature(JwtKey key) {
        return new InvalidTokenException(Reason.BAD_SIGNATURE, "signature does not verify with " + key.kid());
    }

    /**
     * The positions of the two dots of a compact JWS: three canonical base64url parts and nothing
     * else reach either path.
     *
     * @throws InvalidTokenException (MALFORMED) for anything else
     */
    private static int[] compactJwsDots(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(Reason.MALFORMED, "empty or too long");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0 || !Base64Url.isCanonical(token, 0, first)
                || !Base64Url.isCanonical(token, first + 1, second) || !Base64Url.isCanonical(token, second + 1, token.length())) {
            throw new InvalidTokenException(Reason.MALFORMED, "not a compact JWS of canonical base64url");
        }
        return new int[] {first, second};
    }

    private static boolean looksUnsecured(String encodedHeader) {
        try {
            String json = new String(java.util.Base64.getUrlDecoder().decode(encodedHeader),
                    java.nio.charset.StandardCharsets.UTF_8);
            return json.replace(" ", "").toLowerCase(java.util.Locale.ROOT).contains("\"alg\":\"none\"");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void checkType(String type) {
        if (type == null) {
            if (!acceptUntyped) {
                throw new InvalidTokenException(Reason.WRONG_TYPE, "no typ header");
            }
            return;
        }
        if (!acceptedTypes.contains(normalizedType(type))) {
            throw new InvalidTokenException(Reason.WRONG_TYPE, "typ is not an accepted access token type");
        }
    }

    /** RFC 7515 4.1.9: media types compare case-insensitively, and {@code application/} may be left out. */
    static String normalizedType(String type) {
        String lower = type.trim().toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("application/") ? lower.substring("application/".length()) : lower;
    }

    private void checkClaims(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new InvalidTokenException(Reason.MISSING_CLAIM, "exp is required");
        }
        if (now.isAfter(exp.toInstant().plus(skew))) {
            throw new InvalidTokenException(Reason.EXPIRED, "expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID, "not valid yet");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(skew))) {
            throw new InvalidTokenException(Reason.ISSUED_IN_FUTURE, "issued in the future");
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            throw new InvalidTokenException(Reason.WRONG_ISSUER, "issuer does not match");
        }
        if (!audiences.isEmpty()) {
            List<String> aud = claims.getAudience();
            if (aud == null || aud.stream().noneMatch(audiences::contains)) {
                throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "audience does not match");
            }
        }
        for (String name : requiredClaims) {
            if (claims.getClaim(name) == null) {
                throw new InvalidTokenException(Reason.MISSING_CLAIM, name + " is required");
            }
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new InvalidTokenException(Reason.MISSING_CLAIM, "sub is required");
        }
    }

    private AuthenticatedUser toUser(JWTClaimsSet claims) {
        Map<String, Object> all = new HashMap<>();
        claims.getClaims().forEach((k, v) -> {
            if (v != null) {
                all.put(k, v);
            }
        });
        return new AuthenticatedUser(claims.getSubject(), strings(claims.getClaim(rolesClaim)), scopes(claims), all);
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        if (claims.getClaim("scope") instanceof String scope) {
            for (String s : WHITESPACE.split(scope.trim())) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        scopes.addAll(strings(claims.getClaim("scp")));
        return scopes;
    }

    private static Set<String> strings(Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Collection<?> list) {
            list.forEach(v -> {
                if (v instanceof String s) {
                    out.add(s);
                }
            });
        }
        return out;
    }

    /** Configures a {@link JwtVerifier}. */
    public static final class Builder {
        private final JwtKeySource keys;
        private String issuer;
        private Set<String> audiences = Set.of();
        private Duration skew = DEFAULT_CLOCK_SKEW;
        private Set<String> requiredClaims = Set.of();
        private String rolesClaim = "roles";
        private Clock clock = Clock.systemUTC();
        private Set<String> acceptedTypes = Set.of(ACCESS_TOKEN_TYPE);
        private boolean acceptUntyped;

        private Builder(JwtKeySource keys) {
            this.keys = keys;
        }

        /** Require this {@code iss} (default: not checked). */
        public Builder issuer(String issuer) { this.issuer = issuer; return this; }

        /** Require {@code aud} to contain one of these (default: not checked). */
        public Builder audience(String... audiences) { this.audiences = Set.of(audiences); return this; }

        /** Tolerance for {@code exp}, {@code nbf} and {@code iat} (default 60 s; at most 5 minutes). */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and 5 minutes, got " + skew);
            }
            this.skew = skew;
            return this;
        }

        /** Claims every token must carry (besides {@code exp} and {@code sub}, always required). */
        public Builder requireClaims(String... names) { this.requiredClaims = Set.of(names); return this; }

        /** The claim holding the roles (default {@code roles}). */
        public Builder rolesClaim(String name) { this.rolesClaim = name; return this; }

        /**
         * The {@code typ} headers accepted, replacing the default {@code at+jwt} (compared
         * case-insensitively, with or without {@code application/}). For an issuer that writes
         * {@code typ: JWT} on its access tokens: {@code acceptTypes("at+jwt", "JWT")}; then also check
         * {@link #audience} so its ID tokens (same key, same type, another audience) are refused.
         */
        public Builder acceptTypes(String... types) {
            if (types.length == 0) {
                throw new IllegalArgumentException("acceptTypes needs at least one type");
            }
            Set<String> normalized = new LinkedHashSet<>();
            for (String type : types) {
                normalized.add(normalizedType(type));
            }
            this.acceptedTypes = normalized;
            return this;
        }

        /**
         * Also accepts tokens without a {@code typ} header (default: refused), for issuers that omit
         * it. Such a token cannot be told from another kind of JWT signed with the same key, so use
         * this only with {@link #audience} and, where the issuer sets one, a {@link #requireClaims}
         * that only its access tokens carry.
         */
        public Builder acceptUntypedTokens() { this.acceptUntyped = true; return this; }

        /** The clock (for tests). */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        public JwtVerifier build() {
            return new JwtVerifier(this);
        }
    }
}
