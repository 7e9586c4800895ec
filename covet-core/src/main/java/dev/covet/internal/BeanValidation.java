package dev.covet.internal;

import dev.covet.Problem;
import dev.covet.ProblemException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.metadata.BeanDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Jakarta Bean Validation through Hibernate Validator. The factory is built once per process (it
 * costs a few hundred milliseconds, so {@link #warmUp()} starts it in the background once the server
 * listens). Messages use parameter interpolation, which needs no Expression Language on the classpath.
 */
public final class BeanValidation {
    private static volatile Validator validator;

    private BeanValidation() { }

    /**
     * Builds the validator off the request path, so the first request does not pay for it. A platform
     * thread, not a virtual one: virtual threads are not time-sliced, so on a one-CPU machine (one
     * carrier) this long job would hold up every request handler until it was done.
     */
    public static void warmUp() {
        Thread.ofPlatform().daemon().name("covet-validation-warmup").start(BeanValidation::validator);
    }

    static Validator validator() {
        Validator v = validator;
        if (v == null) {
            synchronized (BeanValidation.class) {
                v = validator;
                if (v == null) {
                    ValidatorFactory factory = Validation.byDefaultProvider().configure()
                            .messageInterpolator(new ParameterMessageInterpolator())
                            .buildValidatorFactory();
                    validator = v = factory.getValidator();
                }
            }
        }
        return v;
    }

    /**
     * Validates {@code value} if its type carries constraints.
     *
     * @throws ProblemException 422 listing every violation, sorted by field
     */
    public static void validate(Object value) {
        Validator v = validator();
        BeanDescriptor descriptor = v.getConstraintsForClass(value.getClass());
        if (!descriptor.isBeanConstrained()) {
            return;
        }
        Set<ConstraintViolation<Object>> violations = v.validate(value);
        if (violations.isEmpty()) {
            return;
        }
        List<Problem.FieldError> errors = new ArrayList<>(violations.size());
        for (ConstraintViolation<Object> violation : violations) {
            errors.add(new Problem.FieldError(violation.getPropertyPath().toString(), violation.getMessage(),
                    safeValue(violation.getInvalidValue())));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        throw ProblemException.validation(errors);
    }

    /** Echo back only simple values; never whole objects (they may hold secrets or be huge). */
    private static Object safeValue(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof CharSequence s) {
            return s.length() > 200 ? s.subSequence(0, 200) + "..." : s.toString();
        }
        return null;
    }
}
