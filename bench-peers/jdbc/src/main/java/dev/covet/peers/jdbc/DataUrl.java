package dev.covet.peers.jdbc;

import java.net.URI;

/**
 * The database the harness hands every target as {@code COVET_DATA_URL}:
 * {@code postgresql://user[:password]@host[:port]/database}, read here into a JDBC URL and credentials.
 *
 * @param jdbcUrl  {@code jdbc:postgresql://host:port/database}
 * @param user     the user (postgres if the URL names none)
 * @param password the password, empty if none (never logged: {@link #toString()} leaves it out)
 */
public record DataUrl(String jdbcUrl, String user, String password) {

    /**
     * Parses the harness's URL.
     *
     * @throws IllegalArgumentException if it is not a {@code postgresql://} URL with a host and a database name
     */
    public static DataUrl parse(String url) {
        URI uri = URI.create(url.trim());
        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null || database.isEmpty()) {
            throw new IllegalArgumentException("COVET_DATA_URL must look like postgresql://user@host:port/database");
        }
        String user = "postgres";
        String password = "";
        if (uri.getUserInfo() != null) {
            int colon = uri.getUserInfo().indexOf(':');
            user = colon < 0 ? uri.getUserInfo() : uri.getUserInfo().substring(0, colon);
            password = colon < 0 ? "" : uri.getUserInfo().substring(colon + 1);
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return new DataUrl("jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database, user, password);
    }

    @Override
    public String toString() {
        return user + " at " + jdbcUrl;
    }
}
