package dev.covet.data.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Covet database URL turned into what JDBC needs. Accepted forms:
 * {@code sqlite:path/to/file.db}, {@code postgresql://user:password@host:port/db?param=value},
 * {@code mariadb://...} (MariaDB Connector/J), {@code mysql://...} (MySQL Connector/J), and the
 * {@code jdbc:} URLs of those four drivers.
 *
 * @param vendor      {@code sqlite}, {@code postgresql}, {@code mariadb} or {@code mysql}
 * @param jdbcUrl     the URL handed to the driver (without user and password)
 * @param user        the user named in the URL
 * @param password    the password named in the URL
 * @param sqlitePath  the database file, for SQLite
 */
public record DatabaseUrl(String vendor, String jdbcUrl, Optional<String> user, Optional<String> password,
                          Optional<String> sqlitePath) {

    /**
     * A {@code password=} parameter ({@code ;} is MySQL Connector/J's separator) and its value, up to the
     * next {@code &}: a raw {@code ;} or {@code #} in a password is masked too.
     */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)([^&]*)");

    /** @throws IllegalArgumentException saying which forms are accepted */
    public static DatabaseUrl parse(String url) {
        String u = url.trim();
        if (u.startsWith("jdbc:")) {
            return parse(u.substring(5).replaceFirst("^mysql:", "mysql:"));
        }
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sqlite:")) {
            String path = u.substring("sqlite:".length());
            if (path.isBlank() || path.contains(":memory:") || path.contains("mode=memory")) {
                // Readers and the writer use separate connections; an in-memory database would be a
                // different, empty database on each of them.
                throw new IllegalArgumentException("sqlite needs a file (e.g. sqlite:data/app.db), not '" + path
                        + "': Covet reads and writes through separate connections, which would each see "
                        + "their own in-memory database");
            }
            return new DatabaseUrl("sqlite", "jdbc:sqlite:" + path, Optional.empty(), Optional.empty(),
                    Optional.of(path));
        }
        String vendor;
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            vendor = "postgresql";
        } else if (lower.startsWith("mariadb://")) {
            vendor = "mariadb";
        } else if (lower.startsWith("mysql://")) {
            vendor = "mysql";
        } else {
            throw new IllegalArgumentException("Unsupported database URL '" + redact(u) + "'; use sqlite:path/file.db, "
                    + "postgresql://user@host:5432/db, mariadb://user@host:3306/db or mysql://user@host:3306/db");
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) { // its message quotes the whole URL, password and all
            throw new IllegalArgumentException("Malformed database URL '" + redact(u) + "': " + e.getReason()
                    + " at index " + e.getIndex() + " (percent-encode special characters in the user and password)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("No host in database URL '" + redact(u) + "'");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0]));
            if (parts.length == 2) {
                password = Optional.of(decode(parts[1]));
            }
        }
        int port = uri.getPort() > 0 ? uri.getPort() : vendor.equals("postgresql") ? 5432 : 3306;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:" + vendor + "://" + uri.getHost() + ":" + port + path + query;
        return new DatabaseUrl(vendor, jdbc, user, password, Optional.empty());
    }

    /**
     * The URL with any password replaced by {@code ***}, for messages and logs: the one in
     * {@code user:password@} (see {@link #passwordsIn}) and a {@code password=} parameter.
     */
    public static String redact(String url) {
        int[] span = userInfoPassword(url);
        String redacted = span == null ? url : url.substring(0, span[0]) + "***" + url.substring(span[1]);
        return PASSWORD_PARAMETER.matcher(redacted).replaceAll("$1***");
    }

    /**
     * Every password written in {@code url}, as written (still percent-encoded): the one in
     * {@code user:password@} and each {@code password=} parameter. For masking text that may quote them.
     */
    public static List<String> passwordsIn(String url) {
        List<String> found = new ArrayList<>();
        int[] span = userInfoPassword(url);
        if (span != null) {
            found.add(url.substring(span[0], span[1]));
        }
        Matcher m = PASSWORD_PARAMETER.matcher(url);
        while (m.find()) {
            found.add(m.group(2));
        }
        found.removeIf(String::isEmpty);
        return found;
    }

    /**
     * Start and end of the password in {@code scheme://user:password@host...}, or null. The user info ends at
     * the last {@code @} before the query, so a password with a raw {@code /}, {@code @} or {@code #} is found
     * whole; when no {@code @} comes before the first {@code ?}, that {@code ?} is taken to be in the password
     * and the last {@code @} of the URL ends it.
     */
    private static int[] userInfoPassword(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        int from = scheme + 3;
        int query = url.indexOf('?', from);
        int at = url.lastIndexOf('@', query < 0 ? url.length() : query);
        if (at < from) {
            at = url.lastIndexOf('@');
        }
        int colon = url.indexOf(':', from);
        return at > from && colon >= from && colon < at ? new int[] {colon + 1, at} : null;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
