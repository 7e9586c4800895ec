package dev.covet.bench;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A {@link ResponseCheck} for bodies that vary from response to response (a random database row,
 * a token's subject): the chunks are gathered into one reusable array per connection, and the whole
 * body is judged by a {@link BodyRule} when the response ends.
 *
 * <p>Gathering costs a copy of the body, which the exact check avoids; the rules parse, so they cost
 * the load generator CPU per response. That cost is the same for every target of a scenario. A body
 * equal byte for byte to the last one this connection's rule accepted is accepted without asking the
 * rule again (a {@code /fortunes} page is the same every time): on a 2-core machine the load
 * generator shares its core with the database, and each microsecond it spends is one the database
 * cannot.
 */
final class ParsedBodyCheck implements ResponseCheck {
    /** A body larger than this is a wrong body, not a reason to grow without bound. */
    static final int MAX_BODY = 4 * 1024 * 1024;

    /** Judges one complete body; a function of the bytes alone, so the same bytes get the same answer. */
    @FunctionalInterface
    interface BodyRule {
        /**
         * @return null when the body is acceptable, otherwise what is wrong with it (one short line)
         */
        String problem(byte[] body, int length);
    }

    private final int status;
    private final BodyRule rule;
    private final String description;

    ParsedBodyCheck(int status, BodyRule rule, String description) {
        this.status = status;
        this.rule = rule;
        this.description = description;
    }

    @Override
    public int expectedStatus() {
        return status;
    }

    @Override
    public BodyMatcher newMatcher() {
        return new Gathering(rule);
    }

    @Override
    public String describe() {
        return "status " + status + " and " + description;
    }

    /** Gathers the body, then asks the rule once per response (and remembers its answer). */
    static final class Gathering implements BodyMatcher {
        private final BodyRule rule;
        private byte[] body = new byte[1024];
        private int length;
        private boolean tooLarge;
        private String problem;
        private boolean judged;
        /** The last body the rule accepted ({@code acceptedLength} bytes), or length -1 before the first. */
        private byte[] accepted = new byte[0];
        private int acceptedLength = -1;

        Gathering(BodyRule rule) {
            this.rule = rule;
        }

        @Override
        public void reset() {
            length = 0;
            tooLarge = false;
            problem = null;
            judged = false;
        }

        @Override
        public void accept(ByteBuf chunk) {
            int n = chunk.readableBytes();
            if (tooLarge || n == 0) {
                return;
            }
            if (length + n > MAX_BODY) {
                tooLarge = true;
                return;
            }
            if (length + n > body.length) {
                body = Arrays.copyOf(body, Math.min(MAX_BODY, Math.max(body.length * 2, length + n)));
            }
            chunk.getBytes(chunk.readerIndex(), body, length, n);
            length += n;
        }

        @Override
        public boolean matches() {
            if (!judged) {
                problem = tooLarge ? "body larger than " + MAX_BODY + " bytes" : judge();
                judged = true;
            }
            return problem == null;
        }

        private String judge() {
            if (length == acceptedLength && Arrays.equals(body, 0, length, accepted, 0, length)) {
                return null;
            }
            try {
                String verdict = rule.problem(body, length);
                if (verdict == null) {
                    remember();
                }
                return verdict;
            } catch (RuntimeException e) {
                // A rule that cannot even parse the body has found a wrong body; say what it choked on.
                return "unparsable body: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
            }
        }

        private void remember() {
            if (accepted.length < length) {
                accepted = new byte[body.length];
            }
            System.arraycopy(body, 0, accepted, 0, length);
            acceptedLength = length;
        }

        @Override
        public String mismatch() {
            return problem == null ? "body differs from the expected bytes" : problem;
        }

        private static String firstLine(String s) {
            if (s == null) {
                return "";
            }
            int i = s.indexOf('\n');
            return i < 0 ? s : s.substring(0, i);
        }
    }
}
