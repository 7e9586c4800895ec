package dev.covet.cli;

import dev.covet.data.internal.DatabaseUrl;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces the database password with {@code ***} in whatever the command prints. Driver and Flyway
 * messages may quote the URL or the connection settings in forms nobody can foresee, so the password's
 * literal text is masked wherever it appears rather than only in the places a URL pattern would match.
 */
final class PasswordMask {
    private final Set<String> secrets = new LinkedHashSet<>();

    /** Masks the passwords written in {@code url} ({@link DatabaseUrl#passwordsIn}) and {@code password}. */
    PasswordMask(String url, Optional<String> password) {
        password.ifPresent(this::add);
        if (url != null) {
            DatabaseUrl.passwordsIn(url).forEach(this::add);
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
