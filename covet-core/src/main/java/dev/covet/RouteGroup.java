package dev.covet;

import dev.covet.internal.SseRoute;
import dev.covet.internal.StaticFileHandler;
import dev.covet.internal.WebSocketRoute;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Routes that share a path prefix and middleware. The app itself is the root group; nested groups
 * add their prefix to their parent's and run their middleware inside their parent's.
 *
 * <pre>{@code
 * app.group("/api", api -> {
 *     api.use(authMiddleware);
 *     api.get("/users/{id:int}", ctx -> ctx.json(users.find(ctx.pathParamAsInt("id"))));
 * });
 * }</pre>
 */
public class RouteGroup {

    /** A route as registered; compiled into the router when the server starts. */
    record Route(String method, String pattern, Handler handler, RouteOptions options, RouteGroup group) { }

    private final String prefix;
    private final RouteGroup parent;
    private final List<Middleware> middleware = new ArrayList<>();
    private final List<Route> routes;

    RouteGroup(String prefix, RouteGroup parent, List<Route> routes) {
        this.prefix = prefix;
        this.parent = parent;
        this.routes = routes;
    }

    public RouteGroup get(String path, Handler handler) { return add("GET", path, handler, RouteOptions.create()); }
    public RouteGroup get(String path, Handler handler, RouteOptions options) { return add("GET", path, handler, options); }
    public RouteGroup post(String path, Handler handler) { return add("POST", path, handler, RouteOptions.create()); }
    public RouteGroup post(String path, Handler handler, RouteOptions options) { return add("POST", path, handler, options); }
    public RouteGroup put(String path, Handler handler) { return add("PUT", path, handler, RouteOptions.create()); }
    public RouteGroup put(String path, Handler handler, RouteOptions options) { return add("PUT", path, handler, options); }
    public RouteGroup patch(String path, Handler handler) { return add("PATCH", path, handler, RouteOptions.create()); }
    public RouteGroup patch(String path, Handler handler, RouteOptions options) { return add("PATCH", path, handler, options); }
    public RouteGroup delete(String path, Handler handler) { return add("DELETE", path, handler, RouteOptions.create()); }
    public RouteGroup delete(String path, Handler handler, RouteOptions options) { return add("DELETE", path, handler, options); }

    /**
     * Registers a handler for OPTIONS (by default OPTIONS is answered automatically with the
     * allowed methods).
     */
    public RouteGroup options(String path, Handler handler) { return add("OPTIONS", path, handler, RouteOptions.create()); }

    /**
     * Serves the files under {@code directory} at {@code prefix}, e.g. {@code staticFiles("/assets",
     * Path.of("public"))} answers {@code GET /assets/app.css} with {@code public/app.css}. Registered as
     * the route {@code GET prefix/{staticPath:*}} (more specific routes under the prefix still win).
     *
     * <p>Responses carry Content-Type (from the extension), Content-Length, a strong ETag (size and
     * modification time), Last-Modified, Cache-Control ({@code no-cache} by default) and
     * {@code Accept-Ranges: bytes}; conditional GETs are answered 304 and single byte ranges 206. A
     * path that tries to leave the directory ({@code ..}, encoded separators, backslashes, NUL, a
     * symlink pointing outside) is answered 404, exactly like a missing file. See docs/static-files.md.
     *
     * @throws IllegalArgumentException if {@code directory} is not an existing directory
     */
    public RouteGroup staticFiles(String prefix, Path directory) {
        return staticFiles(prefix, directory, StaticFileOptions.create());
    }

    /** Like {@link #staticFiles(String, Path)}, with index file, Cache-Control and dot-file settings. */
    public RouteGroup staticFiles(String prefix, Path directory, StaticFileOptions options) {
        String pattern = staticPattern(prefix);
        return add("GET", pattern, StaticFileHandler.forDirectory(join(this.prefix, pattern), directory, options),
                RouteOptions.create());
    }

    /**
     * Serves class-path resources under {@code root} at {@code prefix}, e.g.
     * {@code staticResources("/assets", "public")} serves {@code src/main/resources/public}, whether the
     * class path holds {@code target/classes} or a jar. Resources are found through the thread's context
     * class loader at the time of this call (or the loader of Covet, if there is none). Same headers and
     * rules as {@link #staticFiles(String, Path)}; resources inside a jar are streamed rather than sent
     * zero-copy, and their ETag is the entry's size and CRC.
     *
     * @throws IllegalArgumentException if {@code root} is empty (the whole class path), not a plain
     *     relative name, or not on the class path
     */
    public RouteGroup staticResources(String prefix, String root) {
        return staticResources(prefix, root, StaticFileOptions.create());
    }

    /** Like {@link #staticResources(String, String)}, with index file, Cache-Control and dot-file settings. */
    public RouteGroup staticResources(String prefix, String root, StaticFileOptions options) {
        String pattern = staticPattern(prefix);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = RouteGroup.class.getClassLoader();
        }
        return add("GET", pattern, StaticFileHandler.forClasspath(join(this.prefix, pattern), root, loader, options),
                RouteOptions.create());
    }

    /**
     * A Server-Sent Events endpoint: {@code GET path} answered with {@code text/event-stream}, the
     * {@code handler} sending events until it returns. Responses carry {@code Cache-Control: no-cache}
     * and {@code X-Accel-Buffering: no}; each event is flushed as it is sent, and a client that stops
     * reading blocks its senders (see {@link SseStream}). A HEAD request gets the headers without
     * running the handler. See docs/sse.md.
     */
    public RouteGroup sse(String path, SseHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler is required for SSE " + path);
        }
        return add("GET", path, new SseRoute(handler), RouteOptions.create());
    }

    /**
     * A WebSocket endpoint at {@code GET path}: {@code endpoint} sets its event handlers (once, now).
     * The group's middleware runs on the opening handshake, so a guard that throws refuses it with its
     * problem+json response; a request that is not a valid RFC 6455 handshake is answered 426 or 400,
     * and one from an Origin outside {@code covet.websocket.allowed-origins} 403. See
     * {@link WebSocketEndpoint}, {@link WebSocketSession} and docs/websocket.md.
     *
     * @throws IllegalArgumentException if {@code endpoint} is null
     */
    public RouteGroup ws(String path, Consumer<WebSocketEndpoint> endpoint) {
        if (endpoint == null) {
            throw new IllegalArgumentException("endpoint is required for WebSocket " + path);
        }
        WebSocketRoute route = new WebSocketRoute();
        endpoint.accept(route);
        return add("GET", path, route, RouteOptions.create());
    }

    private static String staticPattern(String prefix) {
        if (prefix == null || !prefix.startsWith("/")) {
            throw new IllegalArgumentException("Paths must start with '/': " + prefix);
        }
        String trimmed = prefix;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed + "/{staticPath:*}";
    }

    /** Adds middleware around every route of this group (and its subgroups), whenever they were added. */
    public RouteGroup use(Middleware middleware) {
        this.middleware.add(middleware);
        return this;
    }

    /** Runs {@code handler} before every route of this group; it may stop the request by throwing. */
    public RouteGroup before(Handler handler) {
        return use((ctx, next) -> {
            handler.handle(ctx);
            next.proceed();
        });
    }

    /** Runs {@code handler} after every route of this group, also when the route threw. */
    public RouteGroup after(Handler handler) {
        return use((ctx, next) -> {
            try {
                next.proceed();
            } finally {
                handler.handle(ctx);
            }
        });
    }

    /** A subgroup under {@code prefix}, configured by {@code routes}. */
    public RouteGroup group(String prefix, Consumer<RouteGroup> routes) {
        RouteGroup child = new RouteGroup(join(this.prefix, prefix), this, this.routes);
        routes.accept(child);
        return this;
    }

    protected RouteGroup add(String method, String path, Handler handler, RouteOptions options) {
        if (handler == null || options == null) {
            throw new IllegalArgumentException("handler and options are required for " + method + " " + path);
        }
        routes.add(new Route(method, join(prefix, path), handler, options, this));
        return this;
    }

    /** This group's middleware preceded by its ancestors', outermost first. */
    List<Middleware> middlewareChain() {
        List<Middleware> chain = parent == null ? new ArrayList<>() : new ArrayList<>(parent.middlewareChain());
        chain.addAll(middleware);
        return chain;
    }

    static String join(String prefix, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("Paths must start with '/': " + path);
        }
        if (prefix.isEmpty()) {
            return path;
        }
        return path.equals("/") ? prefix : prefix + path;
    }
}
