package dev.covet.security;

import dev.covet.Context;
import dev.covet.Middleware;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol) as app middleware.
 *
 * <pre>{@code
 * app.use(Cors.builder()
 *         .allowOrigins("https://app.example.com")
 *         .allowOriginPatterns("https://*.example.com")
 *         .allowMethods("GET", "POST", "DELETE")
 *         .allowHeaders("Content-Type", "Authorization")
 *         .exposeHeaders("Location")
 *         .allowCredentials(true)
 *         .build());
 * }</pre>
 *
 * <p>Add it with {@code app.use(...)}: app middleware also wraps Covet's automatic OPTIONS answers,
 * so it sees preflights. A preflight from an allowed origin for an allowed method and headers is
 * answered 204 with the {@code Access-Control-*} headers; any other preflight gets a 403 problem.
 * An ordinary request from an origin that is not allowed is served without CORS headers (the browser
 * then hides the response from the page); CORS is not access control, so protect state-changing
 * routes with authentication or CSRF tokens as well. Every answer carries {@code Vary: Origin}.
 *
 * <p>Rules enforced when building: {@code *} (any origin) cannot be combined with credentials; the
 * {@code *} of a pattern stands for one or more whole DNS labels at the left of the host
 * ({@code https://*.example.com} matches {@code https://a.b.example.com}, never
 * {@code https://evilexample.com} or {@code https://example.com.evil.net}).
 */
public final class Cors implements Middleware {
    private final boolean anyOrigin;
    private final Set<String> origins;
    private final List<Pattern> patterns;
    private final Set<String> methods;
    private final String methodsHeader;
    private final Set<String> headers;
    private final String headersHeader;
    private final String exposeHeader;
    private final boolean credentials;
    private final String maxAge;

    private Cors(Builder b) {
        this.anyOrigin = b.anyOrigin;
        this.origins = Set.copyOf(b.origins);
        this.patterns = List.copyOf(b.patterns);
        this.methods = Set.copyOf(b.methods);
        this.methodsHeader = String.join(", ", b.methods);
        this.headers = b.headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.headersHeader = String.join(", ", b.headers);
        this.exposeHeader = String.join(", ", b.exposed);
        this.credentials = b.credentials;
        this.maxAge = Long.toString(b.maxAge.toSeconds());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        Optional<String> origin = ctx.header("Origin");
        if (origin.isEmpty()) {
            if (!anyOrigin || credentials) {
                ctx.header("Vary", "Origin");
            }
            next.proceed();
            return;
        }
        boolean allowed = allows(origin.get());
        Optional<String> requestedMethod = ctx.header("Access-Control-Request-Method");
        if ("OPTIONS".equals(ctx.method()) && requestedMethod.isPresent()) {
            preflight(ctx, origin.get(), allowed, requestedMethod.get());
            return;
        }
        ctx.header("Vary", "Origin");
        if (allowed) {
            allowOrigin(ctx, origin.get());
            if (!exposeHeader.isEmpty()) {
                ctx.header("Access-Control-Expose-Headers", exposeHeader);
            }
        }
        next.proceed();
    }

    private void preflight(Context ctx, String origin, boolean allowed, String method) {
        ctx.header("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        if (!allowed || !methods.contains(method) || !headersAllowed(ctx.header("Access-Control-Request-Headers"))) {
            throw SecurityProblems.problem(SecurityProblems.CORS_REFUSED, 403, "This cross-origin request is not allowed");
        }
        allowOrigin(ctx, origin);
        ctx.header("Access-Control-Allow-Methods", methodsHeader);
        if (!headersHeader.isEmpty()) {
            ctx.header("Access-Control-Allow-Headers", headersHeader);
        }
        ctx.header("Access-Control-Max-Age", maxAge);
        ctx.status(204);
    }

    private void allowOrigin(Context ctx, String origin) {
        if (anyOrigin && !credentials) {
            ctx.header("Access-Control-Allow-Origin", "*");
        } else {
            ctx.header("Access-Control-Allow-Origin", origin);
        }
        if (credentials) {
            ctx.header("Access-Control-Allow-Credentials", "true");
        }
    }

    private boolean headersAllowed(Optional<String> requested) {
        if (requested.isEmpty() || requested.get().isBlank()) {
            return true;
        }
        for (String header : requested.get().split(",")) {
            String name = header.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !headers.contains(name)) {
                return false;
            }
        }
        return true;
    }

    boolean allows(String origin) {
        if (anyOrigin) {
            return true;
        }
        if (origins.contains(origin)) {
            return true;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(origin).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Configures {@link Cors}. */
    public static final class Builder {
        private boolean anyOrigin;
        private final Set<String> origins = new LinkedHashSet<>();
        private final List<Pattern> patterns = new ArrayList<>();
        private Set<String> methods = new LinkedHashSet<>(List.of("GET", "HEAD", "POST"));
        private Set<String> headers = new LinkedHashSet<>(List.of("Content-Type"));
        private Set<String> exposed = new LinkedHashSet<>();
        private boolean credentials;
        private Duration maxAge = Duration.ofMinutes(10);

        private Builder() { }

        /**
         * Exact origins ({@code scheme://host[:port]}), or {@code "*"} for any origin.
         *
         * @throws IllegalArgumentException for something that is not an origin (a path, a trailing slash)
         */
        public Builder allowOrigins(String... origins) {
            for (String origin : origins) {
                if ("*".equals(origin)) {
                    anyOrigin = true;
                } else {
                    checkOrigin(origin);
                    this.origins.add(origin);
                }
            }
            return this;
        }

        /** Origins with {@code *} standing for one or more DNS labels, e.g. {@code https://*.example.com}. */
        public Builder allowOriginPatterns(String... patterns) {
            for (String pattern : patterns) {
                int star = pattern.indexOf("://*.");
                if (star < 0 || pattern.indexOf('*', star + 4) >= 0) {
                    throw new IllegalArgumentException("An origin pattern looks like https://*.example.com, got " + pattern);
                }
                checkOrigin(pattern.replace("*", "x"));
                String scheme = pattern.substring(0, star);
                String rest = pattern.substring(star + 5);
                this.patterns.add(Pattern.compile(Pattern.quote(scheme + "://") + "[a-z0-9-]+(\\.[a-z0-9-]+)*"
                        + Pattern.quote("." + rest)));
            }
            return this;
        }

        /** Methods allowed cross-origin (default GET, HEAD, POST). */
        public Builder allowMethods(String... methods) { this.methods = new LinkedHashSet<>(List.of(methods)); return this; }

        /** Request headers allowed cross-origin (default Content-Type). */
        public Builder allowHeaders(String... headers) { this.headers = new LinkedHashSet<>(List.of(headers)); return this; }

        /** Response headers the page may read besides the CORS-safelisted ones (default none). */
        public Builder exposeHeaders(String... headers) { this.exposed = new LinkedHashSet<>(List.of(headers)); return this; }

        /** Allow cookies and Authorization to be sent cross-origin (default false). */
        public Builder allowCredentials(boolean credentials) { this.credentials = credentials; return this; }

        /** How long browsers may cache a preflight (default 10 minutes; browsers cap it at 2 h or less). */
        public Builder maxAge(Duration maxAge) { this.maxAge = maxAge; return this; }

        /**
         * @throws IllegalArgumentException if any origin is combined with credentials, or no origin is allowed
         */
        public Cors build() {
            if (anyOrigin && credentials) {
                throw new IllegalArgumentException("CORS: allowOrigins(\"*\") cannot be combined with allowCredentials(true);"
                        + " list the origins that may send credentials");
            }
            if (!anyOrigin && origins.isEmpty() && patterns.isEmpty()) {
                throw new IllegalArgumentException("CORS: allow at least one origin");
            }
            return new Cors(this);
        }

        private static void checkOrigin(String origin) {
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Not an origin: " + origin);
            }
            if (uri.getScheme() == null || uri.getHost() == null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                    || uri.getRawQuery() != null || !origin.equals(origin.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("Not an origin (scheme://host[:port], lower case, no path): " + origin);
            }
        }
    }
}
