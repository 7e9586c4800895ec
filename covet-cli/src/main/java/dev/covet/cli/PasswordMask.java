package dev.covet.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the database password with {@code ***} in whatever the command prints. Driver and Flyway
 * messages may quote the URL or the connection settings in forms nobody can foresee, so the password's
 * literal text is masked wherever it appears rather than only in the places a URL pattern would match.
 */
final class PasswordMask {
    private static final Pattern QUERY_PASSWORD = Pattern.compile("[?&]password=([^&]*)", Pattern.CASE_INSENSITIVE);

    private final Set<String> secrets = new LinkedHashSet<>();

    /** Masks the password of {@code url} (between {@code user:} and the last {@code @}, or a {@code password=} parameter) and {@code password}. */
    PasswordMask(String url, Optional<String> password) {
        password.ifPresent(this::add);
        if (url == null) {
            return;
        }
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            // The last '@' before the query ends the user info even when a raw password holds '/', '@' or '#'.
            int query = url.indexOf('?', scheme);
            int at = url.lastIndexOf('@', query < 0 ? url.length() : query);
            int colon = url.indexOf(':', scheme + 3);
            if (at > scheme && colon > scheme && colon < at) {
                add(url.substring(colon + 1, at));
            }
        }
        Matcher m = QUERY_PASSWORD.matcher(url);
        while (m.find()) {
            add(m.group(1));
        }
    }

    private void add(String secret) {
        if (!secret.isEmpty()) {
            secrets.add(secret);
            try {
                secrets.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notEncoded) {
                // a raw password with a stray '%': its literal text is already masked
            }
        }
    }

    /** {@code text} with every occurrence of the password replaced by {@code ***}. */
    String apply(String text) {
        String out = text == null ? "" : text;
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }
}
