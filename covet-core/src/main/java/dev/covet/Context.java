package dev.covet;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * One request and its response, handed to every {@link Handler} and {@link Middleware}.
 *
 * <p>Request accessors never return {@code null}: absent values are {@link Optional#empty()} or empty
 * lists. Response methods return this context for chaining; the response is sent when the handler
 * returns (or, for {@link #output()} and {@link #stream}, as it is written; or, after {@link #future},
 * when that stage completes).
 *
 * <p>A context belongs to the thread running its handler, and after {@link #future} to the callbacks of
 * that stage; it is not safe for use by two threads at once.
 */
public interface Context {

    // ---- request line and routing -------------------------------------------------------------

    /** The request method, e.g. {@code GET}. */
    String method();

    /** The request path without the query string, still percent-encoded, e.g. {@code /users/42}. */
    String path();

    /**
     * A path parameter declared by the route, percent-decoded.
     *
     * @throws IllegalArgumentException if the route declares no parameter of that name
     */
    String pathParam(String name);

    /** A path parameter declared as {@code {name:int}}. */
    int pathParamAsInt(String name);

    /** A path parameter declared as {@code {name:long}} (or {@code int}). */
    long pathParamAsLong(String name);

    /** A path parameter declared as {@code {name:uuid}}. */
    UUID pathParamAsUuid(String name);

    /** The first value of a query parameter. */
    Optional<String> queryParam(String name);

    /** Every value of a query parameter, in order. */
    List<String> queryParams(String name);

    /** All query parameters. */
    Map<String, List<String>> queryParamMap();

    // ---- headers, cookies, client ---------------------------------------------------------------

    /** The first value of a request header (names are case-insensitive). */
    Optional<String> header(String name);

    /** Every value of a request header. */
    List<String> headers(String name);

    /** A request cookie's value. */
    Optional<String> cookie(String name);

    /** The request's Content-Type, if it has one. */
    Optional<String> contentType();

    /** The address of the peer that opened the connection (a proxy's, behind one). */
    String remoteAddress();

    // ---- body ----------------------------------------------------------------------------------

    /**
     * The body as bytes, read in full (at most the route's body limit).
     *
     * @throws ProblemException 413 if the body exceeds the limit
     */
    byte[] bodyAsBytes();

    /** The body as text, decoded with the charset of its Content-Type (UTF-8 by default). */
    String body();

    /**
     * The body as a stream, read as it arrives from the client (with backpressure). Only one of the
     * body accessors may consume the stream.
     */
    InputStream bodyAsInputStream();

    /**
     * The JSON body converted to {@code type} (a record, class, map or list) and validated with its
     * Jakarta Bean Validation annotations.
     *
     * @throws ProblemException 400 for malformed JSON (saying where it broke), 415 if the
     *     Content-Type is not JSON, 422 listing every invalid field
     */
    <T> T bodyAs(Class<T> type);

    /** A field of a {@code application/x-www-form-urlencoded} or {@code multipart/form-data} body. */
    Optional<String> formParam(String name);

    /** Every value of a form field. */
    List<String> formParams(String name);

    /** An uploaded file of a {@code multipart/form-data} body. */
    Optional<UploadedFile> uploadedFile(String name);

    /** Every uploaded file of a field. */
    List<UploadedFile> uploadedFiles(String name);

    // ---- request-scoped attributes -------------------------------------------------------------

    /** Stores a value for later middleware and the handler of this request. */
    Context attribute(String key, Object value);

    /** A value stored with {@link #attribute(String, Object)}. */
    <T> Optional<T> attribute(String key);

    // ---- response ------------------------------------------------------------------------------

    /** Sets the status code (default 200). */
    Context status(int status);

    /** The status set so far. */
    int status();

    /** Sets a response header, replacing any value it had. */
    Context header(String name, String value);

    /** Sets the response Content-Type. */
    Context contentType(String contentType);

    /** Adds a Set-Cookie header. */
    Context cookie(Cookie cookie);

    /** Responds with text ({@code text/plain; charset=utf-8} unless a Content-Type was set). */
    Context text(String text);

    /** Responds with HTML ({@code text/html; charset=utf-8}). */
    Context html(String html);

    /** Responds with {@code value} as JSON (records, maps, lists and plain objects). */
    Context json(Object value);

    /** Responds with bytes ({@code application/octet-stream} unless a Content-Type was set). */
    Context bytes(byte[] bytes);

    /**
     * Responds with the content of {@code stream}, sent chunked as it is read, with backpressure. The
     * stream is closed when done. Not available on non-blocking routes.
     */
    Context stream(InputStream stream);

    /**
     * Responds with a file: content type from its name, sent without copying through the JVM heap
     * where the transport allows.
     *
     * @throws ProblemException 404 if the file does not exist or is not readable
     */
    Context file(Path file);

    /** Redirects with 302 Found. */
    Context redirect(String location);

    /** Redirects with the given 3xx status. */
    Context redirect(String location, int status);

    /**
     * A stream that sends the response body chunked as it is written. The status and headers are sent
     * at the first flush or write past the buffer; writes block while the client is slow to read (so a
     * slow client never makes the server buffer without limit) and fail with an {@code IOException}
     * once it has not read for {@code covet.write-timeout} or has gone away. Not available on
     * non-blocking routes.
     *
     * <p>If a {@code Content-Length} header is set before the first byte goes out, the body is sent
     * with that length instead of chunked; writing more or fewer bytes then fails the response and
     * closes the connection. HTTP/1.0 clients get the body unframed, ended by closing the connection.
     */
    OutputStream output();

    /**
     * Sends the response when {@code done} completes instead of when the handler returns: set the
     * response with this context's methods in {@code done}'s callbacks. If {@code done} fails, the
     * failure is answered as if the handler had thrown it (mappers included); if the handler throws
     * after calling this, that exception is answered once {@code done} has completed, so the callbacks
     * never race the error response.
     *
     * <pre>{@code
     * app.get("/db", ctx -> ctx.future(db.async().queryOne(SQL, World.class, id)
     *         .thenAccept(world -> ctx.json(world.orElseThrow()))), RouteOptions.create().nonBlocking());
     * }</pre>
     *
     * <p>Made for non-blocking routes: the I/O thread moves on to other connections while {@code done}
     * is pending, and when it completes the response is written without waking another thread if it
     * completed on this connection's I/O thread. On a blocking route the handler's thread waits for it.
     * Later pipelined requests on the same connection wait their turn, as HTTP/1.1 requires. Middleware
     * code after {@code next.proceed()} runs when the handler returns, before {@code done} completes.
     * Covet sets no deadline on {@code done} (as it sets none on a blocking handler): give it one, for
     * example with {@code orTimeout}, or rely on the timeouts of what it waits for.
     *
     * @throws IllegalStateException if called twice for one request, or after {@link #output()} or
     *     {@link #stream} started a streamed response
     */
    Context future(CompletionStage<?> done);
}
