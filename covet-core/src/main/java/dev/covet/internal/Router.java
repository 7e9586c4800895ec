package dev.covet.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps (method, path) to a route target in time proportional to the number of path segments.
 *
 * <p>Design: a radix tree whose radix is one path segment. Each node holds its static children in a
 * hash map, then its parameter children ordered from most to least specific ({@code int}, {@code long},
 * {@code uuid}, then plain strings), then at most one catch-all ({@code {rest:*}}) that takes the
 * remainder of the path. Lookup walks the path in place (no splitting, no regex) and backtracks only
 * when a more specific branch dead-ends, so {@code /users/me} beats {@code /users/{id}} and
 * {@code /users/42} still reaches {@code /users/{id:int}}. The tree is built before the server starts
 * and never changes afterwards, so lookups need no locking.
 *
 * <p>Results distinguish "no such path" (404) from "path exists, method does not" (405 with the allowed
 * methods), as RFC 9110 asks.
 */
public final class Router<T> {

    /** The outcome of a lookup; {@code target} is set only when {@code status == FOUND}. */
    public record Match<T>(Status status, T target, String[] paramNames, String[] paramValues,
                           Set<RouteMethod> allowed) {
        public enum Status { FOUND, METHOD_NOT_ALLOWED, NOT_FOUND }
    }

    private static final String[] NO_VALUES = new String[0];
    @SuppressWarnings("rawtypes")
    private static final Match NOT_FOUND = new Match<>(Match.Status.NOT_FOUND, null, null, null, Set.of());

    private final Node<T> root = new Node<>();
    /** Routes without parameters by their exact path: one hash probe and no allocation finds them. */
    private final Map<String, Node<T>> exact = new HashMap<>();
    private final List<String> patterns = new ArrayList<>();

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException if the pattern is malformed or the same method and shape is
     *     already registered (two handlers for one route is always a mistake, so it fails at start-up)
     */
    public void add(RouteMethod method, String pattern, T target) {
        List<Segment> segments = PathPattern.parse(pattern);
        Node<T> node = root;
        List<String> names = new ArrayList<>();
        for (Segment segment : segments) {
            node = node.child(segment, pattern);
            if (segment.kind() != SegmentKind.STATIC) {
                names.add(segment.text());
            }
        }
        if (node.targets.containsKey(method)) {
            throw new IllegalArgumentException("Route " + method + " " + pattern + " is already registered"
                    + " (as " + method + " " + node.patternsByMethod.get(method) + ")");
        }
        node.targets.put(method, target);
        node.patternsByMethod.put(method, pattern);
        node.paramNames = names.toArray(String[]::new);
        node.updateAllowed();
        if (names.isEmpty()) {
            StringBuilder path = new StringBuilder();
            segments.forEach(segment -> path.append('/').append(segment.text()));
            exact.put(path.isEmpty() ? "/" : path.toString(), node);
        }
        patterns.add(method + " " + pattern);
    }

    /**
     * The paths of the routes without parameters: the very strings the exact-path lookup holds, so a
     * caller that hands one of them to {@link #find} is matched by identity ({@link KnownPaths}).
     */
    public Set<String> exactPaths() {
        return Collections.unmodifiableSet(exact.keySet());
    }

    /** Every registered route as "METHOD pattern", in registration order. */
    public List<String> routes() {
        return List.copyOf(patterns);
    }

    /** Finds the target for {@code path} (the raw path, without query string). */
    @SuppressWarnings("unchecked")
    public Match<T> find(RouteMethod method, String path) {
        int end = path.length();
        if (end > 1 && path.charAt(end - 1) == '/') {
            end--; // "/users/" is "/users": trailing slashes are ignored, as Javalin does by default
        }
        // the tree would find the same node: static children are always tried first
        Node<T> exactNode = exact.get(end == path.length() ? path : path.substring(0, end));
        if (exactNode != null) {
            return exactNode.matches.get(method);
        }
        String[] values = new String[8];
        Node<T> node = root.find(path, path.isEmpty() || path.charAt(0) != '/' ? 0 : 1, end, values, 0);
        if (node == null) {
            return NOT_FOUND;
        }
        Match<T> match = node.matches.get(method);
        if (match.status() != Match.Status.FOUND || node.paramNames.length == 0) {
            return match;
        }
        String[] names = node.paramNames;
        String[] found = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            found[i] = PathPattern.decode(values[i]);
        }
        return new Match<>(Match.Status.FOUND, match.target(), names, found, Set.of());
    }

    enum SegmentKind { STATIC, INT, LONG, UUID, STRING, CATCH_ALL }

    record Segment(SegmentKind kind, String text) { }

    private static final class Node<T> {
        final Map<String, Node<T>> statics = new HashMap<>();
        final List<Map.Entry<SegmentKind, Node<T>>> params = new ArrayList<>();
        Node<T> catchAll;
        final Map<RouteMethod, T> targets = new EnumMap<>(RouteMethod.class);
        final Map<RouteMethod, String> patternsByMethod = new EnumMap<>(RouteMethod.class);
        String[] paramNames = new String[0];

        Node<T> child(Segment segment, String pattern) {
            switch (segment.kind()) {
                case STATIC -> {
                    return statics.computeIfAbsent(segment.text(), k -> new Node<>());
                }
                case CATCH_ALL -> {
                    if (catchAll == null) {
                        catchAll = new Node<>();
                    }
                    return catchAll;
                }
                default -> {
                    for (Map.Entry<SegmentKind, Node<T>> entry : params) {
                        if (entry.getKey() == segment.kind()) {
                            return entry.getValue();
                        }
                    }
                    Node<T> node = new Node<>();
                    params.add(Map.entry(segment.kind(), node));
                    params.sort((a, b) -> a.getKey().compareTo(b.getKey())); // enum order = specificity
                    return node;
                }
            }
        }

        /** Matches path[start, end) below this node; fills values[depth...] with parameter values. */
        Node<T> find(String path, int start, int end, String[] values, int depth) {
            if (start >= end) {
                if (!targets.isEmpty()) {
                    return this;
                }
                // "/files/" may still match "/files/{rest:*}" with an empty remainder
                if (catchAll != null && !catchAll.targets.isEmpty() && depth < values.length) {
                    values[depth] = "";
                    return catchAll;
                }
                return null;
            }
            int slash = path.indexOf('/', start);
            int segmentEnd = slash < 0 || slash > end ? end : slash;
            int next = segmentEnd + 1;
            if (!statics.isEmpty()) {
                Node<T> child = statics.get(path.substring(start, segmentEnd));
                if (child != null) {
                    Node<T> found = child.find(path, next, end, values, depth);
                    if (found != null) {
                        return found;
                    }
                }
            }
            if (segmentEnd > start && depth < values.length) {
                for (Map.Entry<SegmentKind, Node<T>> entry : params) {
                    if (PathPattern.accepts(entry.getKey(), path, start, segmentEnd)) {
                        values[depth] = path.substring(start, segmentEnd);
                        Node<T> found = entry.getValue().find(path, next, end, values, depth + 1);
                        if (found != null) {
                            return found;
                        }
                    }
                }
            }
            if (catchAll != null && !catchAll.targets.isEmpty() && depth < values.length) {
                values[depth] = path.substring(start, end);
                return catchAll;
            }
            return null;
        }

        /** The methods this path answers, for 405 and OPTIONS; rebuilt as routes are added, never per lookup. */
        Set<RouteMethod> allowed = Set.of();

        Set<RouteMethod> allowedMethods() {
            return allowed;
        }

        /**
         * The outcome of a lookup that ends here, per method, built as routes are added: a route
         * without parameters is found without allocating anything.
         */
        final Map<RouteMethod, Match<T>> matches = new EnumMap<>(RouteMethod.class);

        void updateAllowed() {
            Set<RouteMethod> methods = new TreeSet<>(targets.keySet());
            if (methods.contains(RouteMethod.GET)) {
                methods.add(RouteMethod.HEAD);
            }
            methods.add(RouteMethod.OPTIONS);
            allowed = Collections.unmodifiableSet(methods);
            Match<T> notAllowed = new Match<>(Match.Status.METHOD_NOT_ALLOWED, null, null, null, allowed);
            for (RouteMethod method : RouteMethod.values()) {
                T target = targets.get(method);
                if (target == null && method == RouteMethod.HEAD) {
                    target = targets.get(RouteMethod.GET);
                }
                matches.put(method, target == null ? notAllowed
                        : new Match<>(Match.Status.FOUND, target, paramNames, NO_VALUES, Set.of()));
            }
        }
    }
}
