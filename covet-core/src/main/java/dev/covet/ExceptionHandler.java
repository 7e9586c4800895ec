package dev.covet;

/** Turns an exception of type {@code E} into a response; registered with {@link Covet#exception}. */
@FunctionalInterface
public interface ExceptionHandler<E extends Throwable> {
    void handle(E exception, Context ctx) throws Exception;
}
