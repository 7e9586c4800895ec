package dev.covet;

import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param type     a stable URI naming the kind of problem (see docs/errors.md)
 * @param title    a short summary of the kind of problem, the same for every occurrence
 * @param status   the HTTP status code
 * @param detail   what went wrong this time, safe to show to the client
 * @param instance the request path
 * @param errors   for validation problems, one entry per invalid field; empty otherwise
 * @param extensions further members (for example {@code errorId} on a 500, or a stack trace in dev mode)
 */
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, Map<String, Object> extensions) {

    /** One invalid field: its path in the request body (or parameter name), what is wrong, the rejected value. */
    public record FieldError(String field, String message, Object rejectedValue) { }

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** A problem without field errors or extensions. */
    public static Problem of(int status, String type, String title, String detail) {
        return new Problem(type, title, status, detail, null, List.of(), Map.of());
    }
}
