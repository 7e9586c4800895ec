package dev.covet.security;

import dev.covet.Context;
import dev.covet.Cookie;
import dev.covet.Middleware;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF protection for apps that authenticate with cookies: the signed double-submit cookie pattern of
 * the OWASP CSRF Prevention Cheat Sheet.
 *
 * <pre>{@code
 * app.use(Csrf.builder(key32Bytes).sessionId(ctx -> session.read(ctx).map(s -> s.get("id"))).build());
 * // pages read Csrf.token(ctx) and send it back as the X-CSRF-Token header or a _csrf form field
 * }</pre>
 *
 * <p>Every response without a valid token cookie gets one ({@code covet_csrf}, readable by scripts,
 * {@code SameSite=Strict}). The token is {@code random.HMAC(key, sessionId + random)}: an attacker who
 * can plant cookies (from a sibling subdomain) cannot mint one without the key, and with
 * {@link Builder#sessionId} a token only works for its own session. Requests with an unsafe method
 * (anything but GET, HEAD, OPTIONS, TRACE) must carry the same token in the header or the form field;
 * otherwise they get 403 {@code csrf-refused} and the handler does not run. Comparisons are constant-time.
 * Requests authenticated with a bearer token are not exposed to CSRF: do not put this on pure APIs.
 */
public final class Csrf implements Middleware {
    /** The 403 problem type. */
    public static final String REFUSED = "urn:covet:problem:csrf-refused";
    /** The request attribute holding the current token (read it with {@link #token(Context)}). */
    public static final String ATTRIBUTE = "covet.security.csrf";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String cookieName;
    private final String headerName;
    private final String formField;
    private final boolean secure;
    private final Function<Context, Optional<String>> sessionId;

    private Csrf(Builder b) {
        this.key = b.key;
        this.cookieName = b.cookieName;
        this.headerName = b.headerName;
        this.formField = b.formField;
        this.secure = b.secure;
        this.sessionId = b.sessionId;
    }

    /**
     * @param key at least 32 random bytes for the HMAC
     * @throws IllegalArgumentException if the key is shorter
     */
    public static Builder builder(byte[] key) {
        return new Builder(key);
    }

    /** The CSRF token of this request, to embed in forms or hand to scripts. */
    public static Optional<String> token(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        String session = sessionId.apply(ctx).orElse("");
        Optional<String> cookie = ctx.cookie(cookieName).filter(t -> valid(t, session));
        if (!SAFE.contains(ctx.method())) {
            Optional<String> sent = ctx.header(headerName);
            if (sent.isEmpty() && isForm(ctx)) {
                sent = ctx.formParam(formField);
            }
            if (cookie.isEmpty() || sent.isEmpty() || !MessageDigest.isEqual(
                    cookie.get().getBytes(StandardCharsets.US_ASCII), sent.get().getBytes(StandardCharsets.US_ASCII))) {
                throw SecurityProblems.problem(REFUSED, 403, "The request lacks a valid CSRF token");
            }
        }
        String token = cookie.orElseGet(() -> {
            String fresh = mint(session);
            ctx.cookie(Cookie.of(cookieName, fresh).httpOnly(false).secure(secure).sameSite("Strict").path("/"));
            return fresh;
        });
        ctx.attribute(ATTRIBUTE, token);
        next.proceed();
    }

    private static boolean isForm(Context ctx) {
        return ctx.contentType().map(t -> t.startsWith("application/x-www-form-urlencoded") || t.startsWith("multipart/form-data"))
                .orElse(false);
    }

    private String mint(String session) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String r = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return r + "." + mac(session, r);
    }

    private boolean valid(String token, String session) {
        int dot = token.indexOf('.');
        if (dot <= 0 || token.length() > 200) {
            return false;
        }
        return MessageDigest.isEqual(mac(session, token.substring(0, dot)).getBytes(StandardCharsets.US_ASCII),
                token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String session, String random) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(session.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(random.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configures {@link Csrf}. */
    public static final class Builder {
        private final SecretKeySpec key;
        private String cookieName = "covet_csrf";
        private String headerName = "X-CSRF-Token";
        private String formField = "_csrf";
        private boolean secure = true;
        private Function<Context, Optional<String>> sessionId = ctx -> Optional.empty();

        private Builder(byte[] key) {
            if (key.length < 32) {
                throw new IllegalArgumentException("A CSRF key needs at least 32 bytes");
            }
            this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        }

        /** Binds tokens to the session id this function finds (default: not bound). */
        public Builder sessionId(Function<Context, Optional<String>> sessionId) { this.sessionId = sessionId; return this; }

        /** Cookie name (default {@code covet_csrf}). */
        public Builder cookieName(String name) { this.cookieName = name; return this; }

        /** Header name (default {@code X-CSRF-Token}). */
        public Builder headerName(String name) { this.headerName = name; return this; }

        /** Form field (default {@code _csrf}). */
        public Builder formField(String name) { this.formField = name; return this; }

        /** The cookie's {@code Secure} attribute (default true). */
        public Builder secure(boolean secure) { this.secure = secure; return this; }

        public Csrf build() {
            return new Csrf(this);
        }
    }
}
