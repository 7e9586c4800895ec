package dev.covet.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Parses route patterns such as {@code /users/{id:int}/files/{path:*}} and checks typed segments. */
final class PathPattern {

    private PathPattern() { }

    static List<Router.Segment> parse(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("Route pattern must start with '/': " + pattern);
        }
        List<Router.Segment> segments = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String body = pattern.length() > 1 && pattern.endsWith("/")
                ? pattern.substring(1, pattern.length() - 1) : pattern.substring(1);
        if (body.isEmpty()) {
            return segments;
        }
        String[] parts = body.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new IllegalArgumentException("Route pattern has an empty segment: " + pattern);
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                String inner = part.substring(1, part.length() - 1);
                int colon = inner.indexOf(':');
                String name = colon < 0 ? inner : inner.substring(0, colon);
                String type = colon < 0 ? "string" : inner.substring(colon + 1);
                if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                    throw new IllegalArgumentException("Bad parameter name '" + name + "' in " + pattern);
                }
                if (!names.add(name)) {
                    throw new IllegalArgumentException("Parameter '" + name + "' appears twice in " + pattern);
                }
                Router.SegmentKind kind = switch (type) {
                    case "int" -> Router.SegmentKind.INT;
                    case "long" -> Router.SegmentKind.LONG;
                    case "uuid" -> Router.SegmentKind.UUID;
                    case "string" -> Router.SegmentKind.STRING;
                    case "*" -> Router.SegmentKind.CATCH_ALL;
                    default -> throw new IllegalArgumentException("Unknown parameter type '" + type + "' in "
                            + pattern + " (use int, long, uuid, string or *)");
                };
                if (kind == Router.SegmentKind.CATCH_ALL && i != parts.length - 1) {
                    throw new IllegalArgumentException("A {name:*} parameter must be the last segment: " + pattern);
                }
                segments.add(new Router.Segment(kind, name));
            } else if (part.contains("{") || part.contains("}")) {
                throw new IllegalArgumentException("A parameter must fill its whole segment: " + pattern);
            } else {
                segments.add(new Router.Segment(Router.SegmentKind.STATIC, part));
            }
        }
        return segments;
    }

    /** Whether path[start, end) is a valid value for a parameter of this kind. */
    static boolean accepts(Router.SegmentKind kind, String path, int start, int end) {
        return switch (kind) {
            case INT -> isInteger(path, start, end, 10); // Integer.MAX_VALUE has 10 digits
            case LONG -> isInteger(path, start, end, 19);
            case UUID -> isUuid(path, start, end);
            default -> true;
        };
    }

    private static boolean isInteger(String s, int start, int end, int maxDigits) {
        int i = start;
        if (i < end && s.charAt(i) == '-') {
            i++;
        }
        int digits = end - i;
        if (digits <= 0 || digits > maxDigits) {
            return false;
        }
        for (; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        if (digits == maxDigits) { // only now can it overflow; parse to be sure
            try {
                if (maxDigits == 10) {
                    Integer.parseInt(s, start, end, 10);
                } else {
                    Long.parseLong(s, start, end, 10);
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUuid(String s, int start, int end) {
        if (end - start != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(start + i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Percent-decodes a path segment ('+' stays '+', unlike form encoding). Invalid escapes are kept as-is. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            if (c < 0x80) {
                out.write(c);
            } else { // the request line is not ASCII: keep the character as it came
                int cp = raw.codePointAt(i);
                byte[] bytes = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
