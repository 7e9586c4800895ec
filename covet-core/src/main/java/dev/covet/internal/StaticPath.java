package dev.covet.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The part of a request path below a static route's prefix, checked and split into plain file-name
 * segments, or refused.
 *
 * <p>It works on the raw, still percent-encoded path, one segment at a time, because decoding first
 * is how traversal gets through: {@code %2e%2e} decodes to {@code ..} and {@code %2f} to a separator
 * the router never saw. A segment is refused when it is empty ({@code //}, which would make an
 * absolute path), has a malformed escape or invalid UTF-8, is {@code .} or {@code ..}, or decodes to
 * anything containing {@code /}, {@code \}, NUL or another control character; and, unless dot files
 * are served, when it starts with a dot. Refusals are indistinguishable from missing files (404).
 * The roots check containment again after resolving (normalise, then real path), so this class is
 * the first of two locks, not the only one.
 *
 * @param segments  the decoded segments, each a plain file name
 * @param directory whether the request named a directory (it was empty or ended with a slash)
 */
record StaticPath(List<String> segments, boolean directory) {

    StaticPath {
        segments = List.copyOf(segments);
    }

    /** Checks {@code raw} (the path below the prefix, without its leading slash). */
    static Optional<StaticPath> parse(String raw, boolean allowDotFiles) {
        if (raw.isEmpty()) {
            return Optional.of(new StaticPath(List.of(), true));
        }
        boolean directory = raw.endsWith("/");
        String body = directory ? raw.substring(0, raw.length() - 1) : raw;
        List<String> segments = new ArrayList<>();
        int start = 0;
        while (start <= body.length()) {
            int slash = body.indexOf('/', start);
            int end = slash < 0 ? body.length() : slash;
            Optional<String> segment = segment(body, start, end, allowDotFiles);
            if (segment.isEmpty()) {
                return Optional.empty();
            }
            segments.add(segment.get());
            start = end + 1;
        }
        return Optional.of(new StaticPath(segments, directory));
    }

    /** This path with {@code fileName} appended (the index file of a directory). */
    StaticPath resolve(String fileName) {
        List<String> longer = new ArrayList<>(segments);
        longer.add(fileName);
        return new StaticPath(longer, false);
    }

    /** The last segment, whose extension decides the content type. */
    String fileName() {
        return segments.isEmpty() ? "" : segments.getLast();
    }

    private static Optional<String> segment(String raw, int start, int end, boolean allowDotFiles) {
        if (end == start) {
            return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.allocate(end - start);
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < end ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < end ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                bytes.put((byte) c);
            } else {
                return Optional.empty(); // raw non-ASCII, spaces and controls never come from a conforming client
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.flip())
                    .toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        if (decoded.equals(".") || decoded.equals("..") || (!allowDotFiles && decoded.startsWith("."))) {
            return Optional.empty();
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return Optional.empty();
            }
        }
        return Optional.of(decoded);
    }
}
