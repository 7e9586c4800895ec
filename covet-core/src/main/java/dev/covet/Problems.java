package dev.covet;

/**
 * The stable {@code type} URIs of the problems Covet itself produces; docs/errors.md lists them.
 * Applications may use their own types.
 */
public final class Problems {
    private static final String PREFIX = "urn:covet:problem:";
    public static final String BAD_REQUEST = PREFIX + "bad-request";
    public static final String MALFORMED_JSON = PREFIX + "malformed-json";
    public static final String VALIDATION = PREFIX + "validation-failed";
    public static final String NOT_FOUND = PREFIX + "not-found";
    public static final String METHOD_NOT_ALLOWED = PREFIX + "method-not-allowed";
    public static final String REQUEST_TIMEOUT = PREFIX + "request-timeout";
    public static final String BODY_TOO_LARGE = PREFIX + "body-too-large";
    public static final String URI_TOO_LONG = PREFIX + "uri-too-long";
    public static final String UNSUPPORTED_MEDIA_TYPE = PREFIX + "unsupported-media-type";
    public static final String RANGE_NOT_SATISFIABLE = PREFIX + "range-not-satisfiable";
    public static final String EXPECTATION_FAILED = PREFIX + "expectation-failed";
    public static final String HEADERS_TOO_LARGE = PREFIX + "headers-too-large";
    public static final String INTERNAL = PREFIX + "internal-error";
    public static final String NOT_IMPLEMENTED = PREFIX + "not-implemented";
    public static final String UNAVAILABLE = PREFIX + "service-unavailable";
    public static final String VERSION_NOT_SUPPORTED = PREFIX + "http-version-not-supported";
    /** A {@link StartupTask} the route needs is still running; {@code Retry-After} says when to try again. */
    public static final String STARTING = PREFIX + "starting";
    /** A {@link StartupTask} the route needs failed when the server started; the log has the cause. */
    public static final String STARTUP_FAILED = PREFIX + "startup-failed";

    private Problems() { }

    static String typeFor(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> BODY_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 416 -> RANGE_NOT_SATISFIABLE;
            case 417 -> EXPECTATION_FAILED;
            case 422 -> VALIDATION;
            case 431 -> HEADERS_TOO_LARGE;
            case 500 -> INTERNAL;
            case 501 -> NOT_IMPLEMENTED;
            case 503 -> UNAVAILABLE;
            case 505 -> VERSION_NOT_SUPPORTED;
            default -> "about:blank";
        };
    }

    /** The standard reason phrase of a status code, used as the problem title. */
    public static String titleFor(int status) {
        return io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
    }
}
