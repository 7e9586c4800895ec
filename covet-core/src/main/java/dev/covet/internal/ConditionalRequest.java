package dev.covet.internal;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/**
 * The conditional-request rules of RFC 9110 §13 that a static file needs: {@code If-None-Match}
 * (weak comparison, takes precedence), {@code If-Modified-Since} (only without If-None-Match) and
 * {@code If-Range} (strong comparison, or an exact date). Dates have one-second resolution, so
 * modification times are compared in whole seconds.
 */
final class ConditionalRequest {
    private ConditionalRequest() { }

    /**
     * Whether a GET or HEAD can be answered 304 Not Modified.
     *
     * @param ifNoneMatch     the If-None-Match header, or null
     * @param ifModifiedSince the If-Modified-Since header, or null
     * @param etag            the current entity tag (quoted), or null
     * @param lastModified    the current modification time in epoch ms, or -1
     */
    static boolean notModified(String ifNoneMatch, String ifModifiedSince, String etag, long lastModified) {
        if (ifNoneMatch != null) {
            return etag != null && anyTagMatches(ifNoneMatch, etag);
        }
        if (ifModifiedSince != null && lastModified >= 0) {
            Date since = DateFormatter.parseHttpDate(ifModifiedSince.strip());
            return since != null && lastModified / 1000 <= since.getTime() / 1000;
        }
        return false;
    }

    /**
     * Whether a Range may be honoured given its If-Range header: true without one, else only if it
     * names the current representation exactly (a strong entity tag, or the Last-Modified date).
     */
    static boolean rangeStillValid(String ifRange, String etag, long lastModified) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return etag != null && value.equals(etag); // strong comparison: a weak tag never matches
        }
        Date date = DateFormatter.parseHttpDate(value);
        return date != null && lastModified >= 0 && date.getTime() / 1000 == lastModified / 1000;
    }

    /** Weak comparison of {@code etag} against a list such as {@code "a", W/"b"} or {@code *}. */
    private static boolean anyTagMatches(String list, String etag) {
        String wanted = opaque(etag);
        int i = 0;
        int n = list.length();
        while (i < n) {
            char c = list.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (c == '*') {
                return true;
            }
            if (c == 'W' && list.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= n || list.charAt(i) != '"') {
                return false; // malformed: treat as no match, so the full response is sent
            }
            int close = list.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            if (list.regionMatches(i, wanted, 0, wanted.length()) && close + 1 - i == wanted.length()) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
