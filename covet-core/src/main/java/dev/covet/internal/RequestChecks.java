package dev.covet.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The framing and target rules of RFC 9112 that Netty's decoder leaves to the application, applied
 * strictly in the manner of Helidon's parser: these are the places where request-smuggling bugs live.
 */
final class RequestChecks {
    /** Characters allowed in a request target: pchar, "/" and "?" (RFC 3986 §3.3-3.4), and "%" for escapes. */
    private static final boolean[] TARGET_CHARS = asciiSet(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?%");
    /** Characters allowed in a Host value: reg-name, IPv4, IP-literal in brackets, ":" port (RFC 3986 §3.2.2). */
    private static final boolean[] HOST_CHARS = asciiSet(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:%[]");

    private RequestChecks() { }

    /**
     * Why this request's framing is unacceptable, or {@code null} if it is fine. One pass over the
     * headers, without the lists {@code getAll} would allocate: this runs for every request.
     */
    static String framingError(HttpHeaders headers, HttpVersion version) {
        int hosts = 0;
        int transferEncodings = 0;
        int contentLengths = 0;
        CharSequence host = null;
        CharSequence transferEncoding = null;
        CharSequence contentLength = null;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            var header = it.next();
            CharSequence name = header.getKey();
            if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
                hosts++;
                host = header.getValue();
            } else if (HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
                transferEncodings++;
                transferEncoding = header.getValue();
            } else if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
                contentLengths++;
                contentLength = header.getValue();
            }
        }
        if (version == HttpVersion.HTTP_1_1 && hosts == 0) {
            return "An HTTP/1.1 request must have a Host header";
        }
        if (hosts > 1) {
            return "A request must not have more than one Host header";
        }
        if (hosts == 1 && !allIn(host, 0, HOST_CHARS)) {
            return "The Host header is not a valid host[:port]";
        }
        if (transferEncodings > 0) {
            if (contentLengths > 0) {
                return "A request must not have both Content-Length and Transfer-Encoding";
            }
            if (version == HttpVersion.HTTP_1_0) {
                return "Transfer-Encoding is not defined for HTTP/1.0";
            }
            if (transferEncodings != 1 || !transferEncoding.toString().trim().equalsIgnoreCase("chunked")) {
                return "Transfer-Encoding must be exactly 'chunked'";
            }
        }
        if (contentLengths > 1) {
            return "A request must not have more than one Content-Length";
        }
        if (contentLengths == 1 && !isDigits(contentLength)) {
            return "Content-Length must be a non-negative decimal number";
        }
        return null;
    }

    /** The declared body length: 0 for none, -1 for chunked (unknown until it ends). */
    static long contentLength(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return -1;
        }
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return 0;
        }
        return value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value); // checked digits-only above
    }

    /**
     * Where the path starts in a request target: 0 for origin-form ({@code /a?b}), after the authority
     * for absolute-form ({@code http://host/a}), or -1 for anything else.
     */
    static int pathStart(String uri) {
        if (uri.isEmpty()) {
            return -1;
        }
        int start;
        if (uri.charAt(0) == '/') {
            start = 0;
        } else {
            int scheme = uri.startsWith("http://") ? 7 : uri.startsWith("https://") ? 8 : -1;
            if (scheme < 0) {
                return -1;
            }
            start = uri.indexOf('/', scheme);
            if (start < 0 || !allIn(uri.substring(scheme, start), 0, HOST_CHARS)) {
                return -1;
            }
        }
        return allIn(uri, start, TARGET_CHARS) && escapesAreValid(uri, start) ? start : -1;
    }

    /** Whether every char of {@code value} from {@code from} on is ASCII and in {@code allowed}. */
    private static boolean allIn(CharSequence value, int from, boolean[] allowed) {
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 128 || !allowed[c]) {
                return false;
            }
        }
        return true;
    }

    /** Every "%" starts a two-hex-digit escape (RFC 3986 §2.1). */
    private static boolean escapesAreValid(String uri, int from) {
        for (int i = uri.indexOf('%', from); i >= 0; i = uri.indexOf('%', i + 3)) {
            if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
                    || Character.digit(uri.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean[] asciiSet(String chars) {
        boolean[] set = new boolean[128];
        for (int i = 0; i < chars.length(); i++) {
            set[chars.charAt(i)] = true;
        }
        return set;
    }

    private static boolean isDigits(CharSequence value) {
        if (value.isEmpty() || value.length() > 19) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
