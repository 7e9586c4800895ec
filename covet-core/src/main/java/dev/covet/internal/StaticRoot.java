package dev.covet.internal;

import java.io.IOException;
import java.util.Optional;

/** Where static files come from: a directory or a class-path location. */
interface StaticRoot {

    /**
     * The readable regular file that {@code path} names, if there is one inside this root. Empty for
     * anything else: missing, a directory, unreadable, or (after resolving symlinks) outside the root.
     * The path's segments are already plain names (see {@link StaticPath}); implementations still check
     * that what they resolved lies inside the root.
     */
    Optional<StaticResource> find(StaticPath path) throws IOException;

    /** For logs: what and where this root is. */
    String describe();
}
