package dev.covet.internal;

import java.nio.charset.StandardCharsets;

/**
 * The wire format of {@code text/event-stream} (HTML Living Standard, "Server-sent events"): fields as
 * {@code name: value} lines, an event ended by a blank line, comments starting with a colon, UTF-8.
 * A value cannot contain a line break, so data is split into one {@code data:} line per line (the
 * browser joins them with {@code \n}), and names and ids with line breaks are refused: letting one
 * through would let a caller inject fields or whole events.
 */
final class EventStreamFormat {
    private EventStreamFormat() { }

    /** One event; any of name, id, data may be null, retry -1 when unset. */
    static byte[] event(String name, String id, long retryMillis, String data) {
        StringBuilder out = new StringBuilder(64 + (data == null ? 0 : data.length()));
        if (name != null) {
            out.append("event: ").append(name).append('\n');
        }
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        if (retryMillis >= 0) {
            out.append("retry: ").append(retryMillis).append('\n');
        }
        if (data != null) {
            appendLines(out, "data: ", data);
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment: one {@code : text} line per line of {@code text}. */
    static byte[] comment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        appendLines(out, ": ", text);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code prefix + line + \n} for each line, splitting at CRLF, CR or LF as the parser does. */
    private static void appendLines(StringBuilder out, String prefix, String text) {
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                out.append(prefix).append(text, start, i).append('\n');
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.append(prefix).append(text, start, n).append('\n');
    }

    /** @throws IllegalArgumentException if an event name is empty or has a line break */
    static String checkName(String name) {
        if (name == null || name.isEmpty() || hasLineBreak(name)) {
            throw new IllegalArgumentException("An event name must be non-empty and on one line, was '"
                    + printable(name) + "'");
        }
        return name;
    }

    /** @throws IllegalArgumentException if an id has a line break or NUL (browsers ignore such ids) */
    static String checkId(String id) {
        if (id == null || hasLineBreak(id) || id.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("An event id must be on one line and contain no NUL, was '"
                    + printable(id) + "'");
        }
        return id;
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }

    private static String printable(String s) {
        return s == null ? "null" : s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
