package dev.covet.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What an SSE send throws once its stream is closed. Users see an {@link UncheckedIOException}; the
 * SSE route recognises this subclass, so a stream that ended because the client left is not logged as
 * a failed handler.
 */
final class StreamClosedException extends UncheckedIOException {
    StreamClosedException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
