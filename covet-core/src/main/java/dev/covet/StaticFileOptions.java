package dev.covet;

import java.util.Optional;

/**
 * Settings for {@link RouteGroup#staticFiles} and {@link RouteGroup#staticResources}. Immutable; each
 * method returns a new instance.
 *
 * <pre>{@code
 * app.staticFiles("/assets", Path.of("public"),
 *         StaticFileOptions.create().cacheControl("public, max-age=31536000, immutable"));
 * }</pre>
 */
public final class StaticFileOptions {
    /** Every response must be revalidated (a cheap 304 when unchanged), so a deploy is seen at once. */
    public static final String DEFAULT_CACHE_CONTROL = "no-cache";
    /** The file served for a directory request such as {@code /assets/}. */
    public static final String DEFAULT_INDEX_FILE = "index.html";

    private static final StaticFileOptions DEFAULT = new StaticFileOptions(DEFAULT_CACHE_CONTROL, DEFAULT_INDEX_FILE,
            false);

    private final String cacheControl;
    private final String indexFile; // null: directory requests are answered 404
    private final boolean dotFiles;

    private StaticFileOptions(String cacheControl, String indexFile, boolean dotFiles) {
        this.cacheControl = cacheControl;
        this.indexFile = indexFile;
        this.dotFiles = dotFiles;
    }

    /** The defaults: {@code Cache-Control: no-cache}, index file {@code index.html}, dot files refused. */
    public static StaticFileOptions create() {
        return DEFAULT;
    }

    /**
     * The {@code Cache-Control} value of every file response (and 304); default
     * {@value #DEFAULT_CACHE_CONTROL}. Use a long {@code max-age} only for file names that change with
     * their content (fingerprinted assets).
     *
     * @throws IllegalArgumentException if the value is blank or contains control characters
     */
    public StaticFileOptions cacheControl(String value) {
        if (value == null || value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("cacheControl must be a non-blank header value, was '" + value + "'");
        }
        return new StaticFileOptions(value, indexFile, dotFiles);
    }

    /**
     * The file served for a request that names a directory ({@code /assets/docs/}); default
     * {@value #DEFAULT_INDEX_FILE}. A directory requested without its trailing slash is redirected
     * (301) to the slashed form, so relative links in the index page resolve.
     *
     * @throws IllegalArgumentException if the name is blank, {@code .} or {@code ..}, or contains a slash,
     *     backslash or control character
     */
    public StaticFileOptions indexFile(String fileName) {
        if (fileName == null || fileName.isBlank() || fileName.equals(".") || fileName.equals("..")
                || fileName.chars().anyMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("indexFile must be a plain file name, was '" + fileName + "'");
        }
        return new StaticFileOptions(cacheControl, fileName, dotFiles);
    }

    /** Answers directory requests 404 instead of serving an index file. */
    public StaticFileOptions withoutIndexFile() {
        return new StaticFileOptions(cacheControl, null, dotFiles);
    }

    /**
     * Whether files and directories whose name starts with a dot ({@code .env}, {@code .git/}) are
     * served; default {@code false}, so they are answered 404 like missing files.
     */
    public StaticFileOptions serveDotFiles(boolean serve) {
        return new StaticFileOptions(cacheControl, indexFile, serve);
    }

    public String cacheControl() {
        return cacheControl;
    }

    /** The index file name; empty after {@link #withoutIndexFile()}. */
    public Optional<String> indexFile() {
        return Optional.ofNullable(indexFile);
    }

    public boolean servesDotFiles() {
        return dotFiles;
    }
}
