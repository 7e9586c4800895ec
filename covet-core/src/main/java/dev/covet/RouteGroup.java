package dev.covet;

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
