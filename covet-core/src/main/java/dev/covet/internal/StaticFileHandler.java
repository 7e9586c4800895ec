package dev.covet.internal;

import dev.covet.Context;
import dev.covet.Handler;
import dev.covet.ProblemException;
import dev.covet.StaticFileOptions;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the files of a {@link StaticRoot} for a route {@code prefix/{staticPath:*}}: content type,
 * length, validators, conditional GET, single byte ranges and index files.
 *
 * <p>The path below the prefix is taken from the raw request path, not from the decoded route
 * parameter, so that {@link StaticPath} can refuse an encoded separator that decoding would hide.
 * Everything refused or missing is answered with the same 404, so a client cannot tell a traversal
 * attempt from a typo, nor learn what exists outside the root.
 *
 * <p>Runs on the handler's virtual thread: the file-system calls here block, which is fine there.
 */
public final class StaticFileHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(StaticFileHandler.class);

    private final StaticRoot root;
    private final StaticFileOptions options;
    private final int prefixSegments;

    private StaticFileHandler(StaticRoot root, StaticFileOptions options, String routePattern) {
        this.root = root;
        this.options = options;
        this.prefixSegments = PathPattern.parse(routePattern).size() - 1; // all but the catch-all
    }

    /**
     * A handler for {@code routePattern} (ending in a catch-all) serving {@code directory}.
     *
     * @throws IllegalArgumentException if {@code directory} is not a directory
     */
    public static Handler forDirectory(String routePattern, Path directory, StaticFileOptions options) {
        return new StaticFileHandler(new DirectoryRoot(directory), options, routePattern);
    }

    /**
     * A handler for {@code routePattern} serving class-path resources under {@code root}.
     *
     * @throws IllegalArgumentException if {@code root} is empty, not a plain relative name, or not on the class path
     */
    public static Handler forClasspath(String routePattern, String root, ClassLoader loader,
                                       StaticFileOptions options) {
        return new StaticFileHandler(new ClasspathRoot(root, loader), options, routePattern);
    }

    @Override
    public void handle(Context ctx) throws Exception {
        Exchange exchange = (Exchange) ctx; // middleware passes the same context on, so this is always ours
        String rawPath = exchange.path();
        String below = below(rawPath);
        if (below == null) { // the bare prefix: "/assets" is the directory "/assets/"
            redirectToDirectory(exchange, new StaticPath(List.of(), true));
            return;
        }
        Optional<StaticPath> parsed = StaticPath.parse(below, options.servesDotFiles());
        if (parsed.isEmpty()) {
            LOG.debug("Refused static path {} from {} ({})", rawPath, exchange.remoteAddress(), root.describe());
            throw notFound(rawPath);
        }
        StaticPath path = parsed.get();
        if (path.directory()) {
            Optional<StaticResource> index = index(path);
            if (index.isEmpty()) {
                throw notFound(rawPath);
            }
            serve(exchange, options.indexFile().orElseThrow(), index.get());
        } else {
            Optional<StaticResource> file = root.find(path);
            if (file.isPresent()) {
                serve(exchange, path.fileName(), file.get());
            } else {
                redirectToDirectory(exchange, path);
            }
        }
    }

    /** The raw path below the prefix (without its leading slash), or null if the path is the bare prefix. */
    private String below(String rawPath) {
        int at = 1;
        for (int i = 0; i < prefixSegments; i++) {
            int slash = rawPath.indexOf('/', at);
            if (slash < 0) {
                return null;
            }
            at = slash + 1;
        }
        return at > rawPath.length() ? "" : rawPath.substring(at);
    }

    /** The index file of the directory {@code path}, if index files are on and it has one. */
    private Optional<StaticResource> index(StaticPath path) throws Exception {
        Optional<String> name = options.indexFile();
        return name.isEmpty() ? Optional.empty() : root.find(path.resolve(name.get()));
    }

    /**
     * A directory named without its trailing slash: 301 to the slashed form if it has an index file (so
     * the page's relative links resolve against the directory), else 404. Asking for the index rather
     * than whether the path is a directory also finds directories of jars that lack directory entries.
     */
    private void redirectToDirectory(Exchange exchange, StaticPath path) throws Exception {
        String rawPath = exchange.path();
        // A Location starting "//" or "/\" would send the browser to another host: never build one.
        boolean safe = rawPath.startsWith("/") && !rawPath.startsWith("//") && rawPath.indexOf('\\') < 0;
        if (!safe || index(path).isEmpty()) {
            throw notFound(rawPath);
        }
        String query = exchange.rawQuery();
        exchange.redirect(rawPath + "/" + (query == null ? "" : "?" + query), 301);
    }

    private void serve(Exchange exchange, String fileName, StaticResource resource) throws Exception {
        String etag = resource.etag().orElse(null);
        long lastModified = resource.lastModified() < 0 ? -1
                : Math.min(resource.lastModified(), System.currentTimeMillis()); // never in the future (RFC 9110 8.8.2.1)
        if (etag != null) {
            exchange.header(HttpHeaderNames.ETAG.toString(), etag);
        }
        if (lastModified >= 0) {
            exchange.header(HttpHeaderNames.LAST_MODIFIED.toString(), DateFormatter.format(new Date(lastModified)));
        }
        exchange.header(HttpHeaderNames.CACHE_CONTROL.toString(), options.cacheControl());

        var requestHeaders = exchange.request.headers();
        if (ConditionalRequest.notModified(requestHeaders.get(HttpHeaderNames.IF_NONE_MATCH),
                requestHeaders.get(HttpHeaderNames.IF_MODIFIED_SINCE), etag, lastModified)) {
            exchange.status(304);
            return;
        }

        long size = resource.size();
        exchange.header(HttpHeaderNames.ACCEPT_RANGES.toString(), size >= 0 ? "bytes" : "none");
        exchange.contentType(MediaTypes.forFileName(fileName));
        String range = requestHeaders.get(HttpHeaderNames.RANGE);
        // Ranges are defined for GET only (RFC 9110 14.2); HEAD describes the whole representation.
        if (range == null || size < 0 || !exchange.method().equals("GET")
                || !ConditionalRequest.rangeStillValid(requestHeaders.get(HttpHeaderNames.IF_RANGE), etag, lastModified)) {
            resource.send(exchange, 0, -1);
            return;
        }
        switch (RangeHeader.parse(range, size)) {
            case RangeHeader.Whole whole -> resource.send(exchange, 0, -1);
            case RangeHeader.Partial part -> {
                exchange.status(206);
                exchange.header(HttpHeaderNames.CONTENT_RANGE.toString(),
                        "bytes " + part.start() + "-" + part.end() + "/" + size);
                resource.send(exchange, part.start(), part.length());
            }
            case RangeHeader.Unsatisfiable unsatisfiable -> {
                exchange.header(HttpHeaderNames.CONTENT_RANGE.toString(), "bytes */" + size);
                throw new ProblemException(416, "The range '" + range.strip() + "' lies outside the "
                        + size + " bytes of " + exchange.path());
            }
        }
    }

    private static ProblemException notFound(String rawPath) {
        return new ProblemException(404, "No file at " + rawPath);
    }
}
