package dev.covet.data;

import dev.covet.ProblemException;

/** The row to update does not exist. Covet answers it with a 404 problem. */
public final class EntityNotFoundException extends ProblemException {
    EntityNotFoundException(String detail) {
        super(404, detail);
    }
}
