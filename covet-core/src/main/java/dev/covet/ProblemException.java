package dev.covet;

import java.util.List;
import java.util.Map;

/**
 * Throw from a handler to answer with a problem response, for example
 * {@code throw new ProblemException(404, "No user with id 42")}.
 */
public class ProblemException extends RuntimeException {
    private final transient Problem problem;
    private final transient Map<String, String> headers;

    /** A problem with the standard title of {@code status} and a type derived from it. */
    public ProblemException(int status, String detail) {
        this(Problem.of(status, Problems.typeFor(status), Problems.titleFor(status), detail));
    }

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    /**
     * A problem answered with extra response headers, for example {@code Retry-After} on a 503 or 429
     * (headers a handler set before throwing are kept too).
     */
    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.status() + " " + problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    /** A 422 answer listing every invalid field. */
    public static ProblemException validation(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid";
        return new ProblemException(new Problem(Problems.VALIDATION, "Validation failed", 422, detail, null,
                errors, Map.of()));
    }

    public Problem problem() {
        return problem;
    }

    /** The headers sent with the problem; usually none. */
    public Map<String, String> headers() {
        return headers;
    }
}
