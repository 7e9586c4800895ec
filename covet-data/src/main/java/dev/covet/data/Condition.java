package dev.covet.data;

import java.util.List;

/**
 * A WHERE condition on entities of type {@code T}, built with {@link Where}. Values are always bound
 * as parameters; column names come from the record and are checked.
 */
public final class Condition<T> {
    @FunctionalInterface
    interface Renderer {
        void render(EntityModel<?> model, Dialect dialect, StringBuilder sql, List<Object> params);
    }

    final Renderer renderer;

    Condition(Renderer renderer) {
        this.renderer = renderer;
    }
}
