package dev.covet;

/**
 * Wraps the handlers of an app or a group: work before {@code next.proceed()}, after it, or instead
 * of it (by not calling it, for example to refuse a request). Middleware runs on the same thread as
 * the handler it wraps.
 */
@FunctionalInterface
public interface Middleware {
    void handle(Context ctx, Next next) throws Exception;

    /** The rest of the chain: further middleware, then the handler. */
    @FunctionalInterface
    interface Next {
        void proceed() throws Exception;
    }
}
