package dev.covet.data.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/** Identifier rules: how record names become SQL names, and which names are allowed at all. */
public final class Names {
    /**
     * Identifiers that come from code (table and column names) must match this; they are quoted in SQL,
     * and the pattern is strict enough that no quoting trick can pass it.
     */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private Names() { }

    /** {@code randomNumber} → {@code random_number}; {@code HTTPServer} → {@code http_server}. */
    public static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean prevLower = i > 0 && !Character.isUpperCase(camel.charAt(i - 1));
                boolean nextLower = i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
                if (i > 0 && (prevLower || nextLower) && camel.charAt(i - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The form in which a column label and a record component are compared: lower case, no underscores. */
    public static String matchKey(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException if {@code name} is not a plain identifier */
    public static String checkIdentifier(String name, String what) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a plain SQL identifier ("
                    + IDENTIFIER.pattern() + ")");
        }
        return name;
    }
}
