package dev.covet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * What a scenario accepts as a correct response: a status and a body rule.
 *
 * <p>Today every scenario expects exact bytes ({@link #exact}). A scenario whose body varies
 * (a database row, a signed token) would supply its own {@link BodyMatcher}, for instance one
 * that accumulates the chunks and parses them at the end.
 */
public interface ResponseCheck {

    /** The status a correct response carries. */
    int expectedStatus();

    /** A fresh matcher; the load generator makes one per connection and reuses it. */
    BodyMatcher newMatcher();

    /** A human-readable description of the rule, for the report. */
    String describe();

    /** Expects {@code status} and exactly {@code body}. */
    static ResponseCheck exact(int status, byte[] body) {
        byte[] copy = body.clone();
        return new ResponseCheck() {
            @Override
            public int expectedStatus() {
                return status;
            }

            @Override
            public BodyMatcher newMatcher() {
                return new ExactBody(copy);
            }

            @Override
            public String describe() {
                return "status " + status + " and exactly " + copy.length + " expected body bytes";
            }
        };
    }

    /** Compares chunks against the expected bytes at the running offset. */
    final class ExactBody implements BodyMatcher {
        private final ByteBuf expected;
        private int offset;
        private boolean mismatch;

        ExactBody(byte[] expected) {
            this.expected = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(expected));
        }

        @Override
        public void reset() {
            offset = 0;
            mismatch = false;
        }

        @Override
        public void accept(ByteBuf chunk) {
            int length = chunk.readableBytes();
            if (mismatch || length == 0) {
                return;
            }
            if (offset + length > expected.capacity()
                    || !ByteBufUtil.equals(expected, offset, chunk, chunk.readerIndex(), length)) {
                mismatch = true;
            }
            offset += length;
        }

        @Override
        public boolean matches() {
            return !mismatch && offset == expected.capacity();
        }
    }
}
