package dev.covet.internal;

/**
 * Reads a {@code Range} request header (RFC 9110 §14.2) against a representation of known size.
 *
 * <p>Covet serves a single byte range: {@code bytes=0-99}, {@code bytes=100-} or the suffix
 * {@code bytes=-50}. A header asking for several ranges is answered with the whole representation
 * (200), which the RFC allows and which spares a multipart/byteranges body that few clients ask for.
 * A header that is not well-formed, or names another unit, is ignored the same way, as is any range
 * of an empty representation.
 */
final class RangeHeader {

    /** What to send. */
    sealed interface Outcome permits Whole, Partial, Unsatisfiable { }

    /** Ignore the header and send everything with 200. */
    record Whole() implements Outcome { }

    /** Send {@code length} bytes from {@code start} with 206. */
    record Partial(long start, long length) implements Outcome {
        long end() {
            return start + length - 1;
        }
    }

    /** The range lies wholly past the end: 416. */
    record Unsatisfiable() implements Outcome { }

    private static final Outcome WHOLE = new Whole();
    private static final Outcome UNSATISFIABLE = new Unsatisfiable();

    private RangeHeader() { }

    static Outcome parse(String header, long size) {
        String value = header.strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "bytes", 0, 5)) {
            return WHOLE;
        }
        int at = 5;
        while (at < value.length() && (value.charAt(at) == ' ' || value.charAt(at) == '\t')) {
            at++;
        }
        if (at >= value.length() || value.charAt(at) != '=') {
            return WHOLE;
        }
        String set = value.substring(at + 1).strip();
        if (set.indexOf(',') >= 0 || size <= 0) {
            return WHOLE;
        }
        int dash = set.indexOf('-');
        if (dash < 0) {
            return WHOLE;
        }
        String first = set.substring(0, dash).strip();
        String last = set.substring(dash + 1).strip();
        if (first.isEmpty()) { // suffix: the last N bytes
            long suffix = digits(last);
            if (suffix < 0) {
                return WHOLE;
            }
            if (suffix == 0) {
                return UNSATISFIABLE;
            }
            long length = Math.min(suffix, size);
            return new Partial(size - length, length);
        }
        long start = digits(first);
        if (start < 0) {
            return WHOLE;
        }
        long end;
        if (last.isEmpty()) {
            end = size - 1;
        } else {
            end = digits(last);
            if (end < 0 || end < start) {
                return WHOLE; // an invalid range-spec makes the whole header invalid, hence ignored
            }
        }
        if (start >= size) {
            return UNSATISFIABLE;
        }
        end = Math.min(end, size - 1);
        return new Partial(start, end - start + 1);
    }

    /** A non-negative decimal (saturating at Long.MAX_VALUE), or -1 if {@code s} is not one. */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
        }
        return value;
    }
}
