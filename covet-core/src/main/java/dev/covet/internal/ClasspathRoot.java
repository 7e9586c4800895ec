package dev.covet.internal;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarEntry;

/**
 * Static files from the class path, under a root such as {@code public} (that is,
 * {@code src/main/resources/public}). A resource in a directory ({@code target/classes} during
 * development) is served like a file of a {@link DirectoryRoot}, zero-copy and with the same symlink
 * check against that class-path entry's root directory; one inside a jar is streamed, with its entry's
 * size, time and CRC as validators. Other URL schemes are read through their {@link URLConnection}.
 *
 * <p>Resources are looked up by name, so {@link StaticPath}'s refusal of {@code ..}, empty segments
 * and encoded separators is what keeps lookups inside the root; a jar has no symlinks to follow.
 */
final class ClasspathRoot implements StaticRoot {
    private final String root;
    private final ClassLoader loader;

    /**
     * @throws IllegalArgumentException if {@code root} is blank, names the class-path root itself, is
     *     not a plain relative name, or is not on the class path
     */
    ClasspathRoot(String root, ClassLoader loader) {
        String trimmed = root == null ? "" : root.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("A static resources root is required (serving the whole class path "
                    + "would publish classes and configuration); use a folder such as \"public\"");
        }
        for (String segment : trimmed.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")) {
                throw new IllegalArgumentException("Static resources root must be a plain relative name, was '"
                        + root + "'");
            }
        }
        if (loader.getResource(trimmed) == null && loader.getResource(trimmed + "/") == null) {
            throw new IllegalArgumentException("Static resources root '" + trimmed + "' is not on the class path "
                    + "(expected e.g. src/main/resources/" + trimmed + "/)");
        }
        this.root = trimmed;
        this.loader = loader;
    }

    @Override
    public Optional<StaticResource> find(StaticPath path) throws IOException {
        String name = path.segments().isEmpty() ? root : root + "/" + String.join("/", path.segments());
        URL url = loader.getResource(name);
        if (url == null) {
            return Optional.empty();
        }
        return switch (url.getProtocol()) {
            case "file" -> inDirectory(url, path.segments().size());
            case "jar" -> inJar(url);
            default -> viaConnection(url);
        };
    }

    private static Optional<StaticResource> inDirectory(URL url, int depth) throws IOException {
        Path file;
        try {
            file = Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
        // The root directory of the class-path entry that holds this resource (there may be several).
        Path rootDir = file;
        for (int i = 0; i < depth && rootDir != null; i++) {
            rootDir = rootDir.getParent();
        }
        if (rootDir == null) {
            return Optional.empty();
        }
        Path realRoot;
        try {
            realRoot = rootDir.toRealPath();
        } catch (IOException e) {
            return Optional.empty();
        }
        return DirectoryRoot.lookup(file, rootDir, realRoot);
    }

    private static Optional<StaticResource> inJar(URL url) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        JarEntry entry;
        try {
            entry = connection.getJarEntry();
        } catch (java.io.FileNotFoundException e) {
            return Optional.empty();
        }
        if (entry == null || entry.isDirectory()) {
            return Optional.empty();
        }
        long size = entry.getSize();
        long crc = entry.getCrc();
        Optional<String> etag = size >= 0 && crc >= 0
                ? Optional.of('"' + Long.toHexString(size) + '-' + Long.toHexString(crc) + '"') // a content hash
                : Optional.empty();
        // The jar is cached by the JDK (useCaches), so opening the entry later does not reopen the file.
        return Optional.of(new StaticResource.Streamed(connection::getInputStream, size, entry.getTime(), etag));
    }

    private static Optional<StaticResource> viaConnection(URL url) throws IOException {
        URLConnection connection = url.openConnection();
        long size = connection.getContentLengthLong();
        long modified = connection.getLastModified();
        Optional<String> etag = size >= 0 && modified > 0
                ? Optional.of('"' + Long.toHexString(size) + '-' + Long.toHexString(modified) + '"')
                : Optional.empty();
        return Optional.of(new StaticResource.Streamed(connection::getInputStream, size, modified > 0 ? modified : -1,
                etag));
    }

    @Override
    public String describe() {
        return "class path /" + root;
    }
}
