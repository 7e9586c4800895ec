package dev.covet.bench;

import io.netty.buffer.ByteBuf;

/**
 * Checks one response body as its chunks arrive, without copying them. One instance per
 * connection, reset before each response, so validation costs no allocation per request.
 */
public interface BodyMatcher {

    /** Forgets the previous response. */
    void reset();

    /** Looks at the readable bytes of one chunk; must not change the buffer's indexes. */
    void accept(ByteBuf chunk);

    /** Whether everything accepted since {@link #reset()} is an acceptable body. */
    boolean matches();

    /** Why the last body did not match, for the error samples; called only after {@link #matches()} said no. */
    default String mismatch() {
        return "body differs from the expected bytes";
    }
}
