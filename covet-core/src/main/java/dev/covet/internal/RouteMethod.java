package dev.covet.internal;

/** The request methods a route can be registered for; anything else is answered 501 before routing. */
public enum RouteMethod {
    GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS;

    /** Maps a method name to its constant without allocating; {@code null} for a method we do not route. */
    public static RouteMethod of(String name) {
        return switch (name) {
            case "GET" -> GET;
            case "HEAD" -> HEAD;
            case "POST" -> POST;
            case "PUT" -> PUT;
            case "PATCH" -> PATCH;
            case "DELETE" -> DELETE;
            case "OPTIONS" -> OPTIONS;
            default -> null;
        };
    }
}
