package dev.covet.data.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

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
        URI uri = URI.create(u);
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
     * {@code user:password@} (up to the last {@code @} before the query, so a password with a raw
     * {@code /} or {@code @} in it is hidden whole) and a {@code password=} parameter.
     */
    public static String redact(String url) {
        String redacted = url;
        int start = redacted.indexOf("://");
        if (start >= 0) {
            start += 3;
            int end = redacted.length();
            for (char c : new char[] {'?', '#'}) {
                int i = redacted.indexOf(c, start);
                end = i >= 0 ? Math.min(end, i) : end;
            }
            int at = redacted.lastIndexOf('@', end - 1);
            int colon = at > start ? redacted.indexOf(':', start) : -1;
            if (colon >= 0 && colon < at) {
                redacted = redacted.substring(0, colon + 1) + "***" + redacted.substring(at);
            }
        }
        return redacted.replaceAll("(?i)([?&;]password=)[^&;#]*", "$1***");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
