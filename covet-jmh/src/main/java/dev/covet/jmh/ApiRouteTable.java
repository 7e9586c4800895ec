package dev.covet.jmh;

import dev.covet.internal.RouteMethod;
import dev.covet.internal.Router;
import dev.covet.internal.Router.Match.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The route tables and probe paths {@link RouterBenchmark} looks up.
 *
 * <p>The large table is shaped like a real JSON API rather than a list of random strings: two API
 * versions, each with 31 resources; every resource has list/create, two static sub-paths
 * ({@code search}, {@code count}), item CRUD under its id, and two nested child collections with their
 * own {@code {childId:int}}. Ids are {@code {id:int}} for most resources, {@code {id:uuid}} for every
 * fifth and a string {@code {slug}} for another fifth. Eight more routes sit beside the API: health,
 * metrics, login/logout and three catch-alls ({@code /static/{path:*}}, {@code /docs/{path:*}},
 * {@code /api/v1/files/{path:*}}). That is 2 x 31 x 16 + 8 = 1,000 routes.
 *
 * <p>Each route's target is its own {@code "METHOD pattern"} string, so a probe can state exactly which
 * route it must reach and {@link #check} can prove it before anything is measured.
 */
final class ApiRouteTable {

    static final String[] RESOURCES = {
        "users", "accounts", "orders", "products", "invoices", "payments", "customers", "carts",
        "shipments", "warehouses", "suppliers", "categories", "reviews", "articles", "tags", "teams",
        "projects", "tasks", "boards", "events", "tickets", "subscriptions", "plans", "coupons",
        "refunds", "notifications", "webhooks", "reports", "documents", "sessions", "roles",
    };
    private static final String[][] CHILDREN = {
        {"comments", "attachments"}, {"lines", "events"}, {"members", "invites"}, {"versions", "audit"},
    };

    /** A path to look up, and what it must resolve to: a route target, or a 404/405 status. */
    record Probe(RouteMethod method, String path, Status expected, String target) {
        static Probe hit(RouteMethod method, String path, String pattern) {
            return new Probe(method, path, Status.FOUND, (method == RouteMethod.HEAD ? RouteMethod.GET : method)
                    + " " + pattern);
        }

        static Probe notAllowed(RouteMethod method, String path) {
            return new Probe(method, path, Status.METHOD_NOT_ALLOWED, null);
        }

        static Probe notFound(RouteMethod method, String path) {
            return new Probe(method, path, Status.NOT_FOUND, null);
        }
    }

    private ApiRouteTable() { }

    /** The parameter segment naming one item of {@code RESOURCES[index]}. */
    static String idSegment(int index) {
        return switch (index % 5) {
            case 2 -> "{id:uuid}";
            case 4 -> "{slug}";
            default -> "{id:int}";
        };
    }

    static String[] children(int index) {
        return CHILDREN[index % CHILDREN.length];
    }

    /** The 1,000 routes, as (method, pattern) pairs in registration order. */
    static List<String[]> largeRoutes() {
        List<String[]> routes = new ArrayList<>();
        for (String version : new String[] {"v1", "v2"}) {
            for (int i = 0; i < RESOURCES.length; i++) {
                String base = "/api/" + version + "/" + RESOURCES[i];
                String item = base + "/" + idSegment(i);
                add(routes, "GET", base);
                add(routes, "POST", base);
                add(routes, "GET", base + "/search");
                add(routes, "GET", base + "/count");
                add(routes, "GET", item);
                add(routes, "PUT", item);
                add(routes, "PATCH", item);
                add(routes, "DELETE", item);
                for (String child : children(i)) {
                    add(routes, "GET", item + "/" + child);
                    add(routes, "POST", item + "/" + child);
                    add(routes, "GET", item + "/" + child + "/{childId:int}");
                    add(routes, "DELETE", item + "/" + child + "/{childId:int}");
                }
            }
        }
        add(routes, "GET", "/health");
        add(routes, "GET", "/metrics");
        add(routes, "POST", "/login");
        add(routes, "POST", "/logout");
        add(routes, "GET", "/static/{path:*}");
        add(routes, "GET", "/docs/{path:*}");
        add(routes, "GET", "/api/v1/files/{path:*}");
        add(routes, "PUT", "/api/v1/files/{path:*}");
        return routes;
    }

    /** A ten-route app, the size of a small service or the TechEmpower test app. */
    static List<String[]> smallRoutes() {
        List<String[]> routes = new ArrayList<>();
        add(routes, "GET", "/");
        add(routes, "GET", "/health");
        add(routes, "GET", "/users");
        add(routes, "POST", "/users");
        add(routes, "GET", "/users/{id:int}");
        add(routes, "PUT", "/users/{id:int}");
        add(routes, "DELETE", "/users/{id:int}");
        add(routes, "GET", "/users/{id:int}/orders");
        add(routes, "GET", "/orders/{id:uuid}");
        add(routes, "GET", "/static/{path:*}");
        return routes;
    }

    static Router<String> build(List<String[]> routes) {
        Router<String> router = new Router<>();
        for (String[] route : routes) {
            router.add(RouteMethod.valueOf(route[0]), route[1], route[0] + " " + route[1]);
        }
        return router;
    }

    private static final String UUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    // users(0, int), accounts(1, int), orders(2, uuid), products(3, int), invoices(4, slug),
    // articles(13, int), tags(14, slug), projects(16, int), tasks(17, uuid)
    static final Probe[] LARGE_STATIC = {
        Probe.hit(RouteMethod.GET, "/health", "/health"),
        Probe.hit(RouteMethod.GET, "/api/v1/users", "/api/v1/users"),
        Probe.hit(RouteMethod.GET, "/api/v2/projects/search", "/api/v2/projects/search"),
        Probe.hit(RouteMethod.POST, "/login", "/login"),
    };
    static final Probe[] LARGE_PARAM = {
        Probe.hit(RouteMethod.GET, "/api/v1/users/42", "/api/v1/users/{id:int}"),
        Probe.hit(RouteMethod.PUT, "/api/v2/products/1234567", "/api/v2/products/{id:int}"),
        Probe.hit(RouteMethod.GET, "/api/v1/orders/" + UUID, "/api/v1/orders/{id:uuid}"),
        Probe.hit(RouteMethod.GET, "/api/v2/invoices/inv-2025-000123", "/api/v2/invoices/{slug}"),
        Probe.hit(RouteMethod.HEAD, "/api/v1/articles/7/", "/api/v1/articles/{id:int}"),
    };
    static final Probe[] LARGE_DEEP = {
        Probe.hit(RouteMethod.GET, "/api/v2/orders/" + UUID + "/invites/17",
                "/api/v2/orders/{id:uuid}/invites/{childId:int}"),
        Probe.hit(RouteMethod.DELETE, "/api/v1/projects/99/comments/3",
                "/api/v1/projects/{id:int}/comments/{childId:int}"),
        Probe.hit(RouteMethod.GET, "/static/css/vendor/bootstrap-5.3/bootstrap.min.css", "/static/{path:*}"),
    };
    static final Probe[] LARGE_METHOD_NOT_ALLOWED = {
        Probe.notAllowed(RouteMethod.DELETE, "/api/v1/users"),
        Probe.notAllowed(RouteMethod.POST, "/api/v2/tasks/" + UUID),
    };
    static final Probe[] LARGE_NOT_FOUND = {
        Probe.notFound(RouteMethod.GET, "/api/v3/users"),
        Probe.notFound(RouteMethod.GET, "/api/v1/users/not-a-number"),
    };
    /** 16 probes: 4 static hits, 5 parametrised, 3 deep (one a catch-all), 2 x 405, 2 x 404. */
    static final Probe[] LARGE_MIXED = concat(LARGE_STATIC, LARGE_PARAM, LARGE_DEEP,
            LARGE_METHOD_NOT_ALLOWED, LARGE_NOT_FOUND);

    /** The same proportions against the ten-route table. */
    static final Probe[] SMALL_MIXED = {
        Probe.hit(RouteMethod.GET, "/health", "/health"),
        Probe.hit(RouteMethod.GET, "/users", "/users"),
        Probe.hit(RouteMethod.GET, "/", "/"),
        Probe.hit(RouteMethod.POST, "/users", "/users"),
        Probe.hit(RouteMethod.GET, "/users/42", "/users/{id:int}"),
        Probe.hit(RouteMethod.PUT, "/users/1234567", "/users/{id:int}"),
        Probe.hit(RouteMethod.GET, "/orders/" + UUID, "/orders/{id:uuid}"),
        Probe.hit(RouteMethod.DELETE, "/users/9", "/users/{id:int}"),
        Probe.hit(RouteMethod.HEAD, "/users/7/", "/users/{id:int}"),
        Probe.hit(RouteMethod.GET, "/users/42/orders", "/users/{id:int}/orders"),
        Probe.hit(RouteMethod.GET, "/users/3/orders/", "/users/{id:int}/orders"),
        Probe.hit(RouteMethod.GET, "/static/css/vendor/bootstrap-5.3/bootstrap.min.css", "/static/{path:*}"),
        Probe.notAllowed(RouteMethod.DELETE, "/users"),
        Probe.notAllowed(RouteMethod.POST, "/orders/" + UUID),
        Probe.notFound(RouteMethod.GET, "/accounts"),
        Probe.notFound(RouteMethod.GET, "/users/not-a-number"),
    };

    /**
     * Proves every probe reaches what it claims to.
     *
     * @throws IllegalStateException naming the first probe that resolves elsewhere
     */
    static void check(Router<String> router, Probe[] probes) {
        for (Probe probe : probes) {
            Router.Match<String> match = router.find(probe.method(), probe.path());
            if (match.status() != probe.expected()
                    || (probe.target() != null && !probe.target().equals(match.target()))) {
                throw new IllegalStateException("Probe " + probe.method() + " " + probe.path() + " expected "
                        + probe.expected() + (probe.target() == null ? "" : " " + probe.target())
                        + " but got " + match.status() + (match.target() == null ? "" : " " + match.target()));
            }
        }
    }

    private static void add(List<String[]> routes, String method, String pattern) {
        routes.add(new String[] {method, pattern});
    }

    private static Probe[] concat(Probe[]... groups) {
        List<Probe> all = new ArrayList<>();
        for (Probe[] group : groups) {
            all.addAll(List.of(group));
        }
        return all.toArray(Probe[]::new);
    }
}
