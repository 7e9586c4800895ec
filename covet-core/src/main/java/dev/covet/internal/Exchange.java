package dev.covet.internal;

import dev.covet.Context;
import dev.covet.Cookie;
import dev.covet.Problem;
import dev.covet.ProblemException;
import dev.covet.Problems;
import dev.covet.UploadedFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DefaultHeaders.NameValidator;
import io.netty.handler.codec.DefaultHeaders.ValueValidator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.netty.util.AsciiString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The {@link Context} of one request: a view over Netty's request, plus the response being built.
 * Confined to the thread running the handler; the connection reads the response from it once the
 * handler has returned.
 */
final class Exchange implements Context {
    // AsciiString: encoded into the response as bytes, without a per-request char-by-char copy
    private static final AsciiString TEXT = AsciiString.cached("text/plain; charset=utf-8");
    private static final AsciiString HTML = AsciiString.cached("text/html; charset=utf-8");
    private static final AsciiString JSON = AsciiString.cached("application/json");
    private static final AsciiString PROBLEM_JSON = AsciiString.cached("application/problem+json");
    private static final AsciiString OCTETS = AsciiString.cached("application/octet-stream");

    /*
     * Response headers skip Netty's per-set validation: the framework's own names and values are
     * constants known to be valid, and checking them on every response cost about 1.5% of a pipelined
     * /plaintext request's CPU. Every name and value that comes from a handler goes through NAMES and
     * VALUES, the validators Netty would have applied, so a CR or LF never reaches the wire
     * (ResponseHeaderInjectionTest).
     */
    private static final HttpHeadersFactory RESPONSE_HEADERS = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);
    private static final NameValidator<CharSequence> NAMES = DefaultHttpHeadersFactory.headersFactory().getNameValidator();
    private static final ValueValidator<CharSequence> VALUES = DefaultHttpHeadersFactory.headersFactory().getValueValidator();
    /** The largest body Netty's encoder copies next to the headers (its COPY_CONTENT_THRESHOLD): see {@link #utf8}. */
    private static final int SMALL_BODY = 128;

    final HttpConnection connection;
    final HttpRequest request;
    final CompiledRoute route;
    final boolean head;
    private final String path;
    private final String query;
    private final String[] paramNames;
    private final String[] paramValues;
    private final Set<RouteMethod> allowed;

    /** Content-Length, 0 for none, -1 for chunked; and whether the client sent Expect: 100-continue (set by the connection's checks). */
    long declaredLength;
    boolean expectsContinue;

    // request body: exactly one of these is set when the request has a body
    ByteBuf aggregatedBody;
    BodyStream bodyStream;
    private boolean bodyTaken;
    private byte[] bodyBytes;

    private Map<String, List<String>> queryParams;
    private Map<String, String> cookies;
    private Map<String, Object> attributes;
    private FormBody form;

    // response
    int status = 200;
    final HttpHeaders responseHeaders = RESPONSE_HEADERS.newHeaders();
    ByteBuf responseBody;
    Path responseFile;
    long fileRangeStart = -1;
    long fileRangeLength = -1;
    InputStream responseStream;
    ChunkedOutput output;
    /**
     * Set for a member of a pipelined batch: hands the responses of the members before it to the I/O
     * thread before this one starts streaming, so that the responses leave in order.
     */
    Runnable beforeOutput;
    /** Set by {@link WebSocketRoute} when the request is a valid handshake: upgrade instead of responding. */
    WebSocketRoute webSocket;
    /** The subprotocol {@link WebSocketRoute} chose for the handshake; null for none. */
    String webSocketSubprotocol;
    /** Set by {@link #future}: the response is ready when this completes; taken by the connection. */
    CompletionStage<?> pending;
    private boolean futureCalled;

    Exchange(HttpConnection connection, HttpRequest request, CompiledRoute route, String path, String query,
             String[] paramNames, String[] paramValues, Set<RouteMethod> allowed, boolean head) {
        this.connection = connection;
        this.request = request;
        this.route = route;
        this.path = path;
        this.query = query;
        this.paramNames = paramNames;
        this.paramValues = paramValues;
        this.allowed = allowed;
        this.head = head;
    }

    Set<RouteMethod> allowed() {
        return allowed;
    }

    /** The query string as sent (without the '?'), or null if the target had none. */
    String rawQuery() {
        return query;
    }

    // ---- request ------------------------------------------------------------------------------

    @Override public String method() { return request.method().name(); }
    @Override public String path() { return path; }

    @Override
    public String pathParam(String name) {
        if (paramNames != null) {
            for (int i = 0; i < paramNames.length; i++) {
                if (paramNames[i].equals(name)) {
                    return paramValues[i];
                }
            }
        }
        throw new IllegalArgumentException("Route " + route.pattern() + " has no path parameter '" + name + "'");
    }

    @Override
    public int pathParamAsInt(String name) {
        return typedPathParam(name, Integer::parseInt, "an integer");
    }

    @Override
    public long pathParamAsLong(String name) {
        return typedPathParam(name, Long::parseLong, "an integer");
    }

    @Override
    public UUID pathParamAsUuid(String name) {
        return typedPathParam(name, UUID::fromString, "a UUID");
    }

    /** A path parameter converted by {@code parse}; a value that does not convert is the client's error (400). */
    private <T> T typedPathParam(String name, java.util.function.Function<String, T> parse, String expected) {
        String value = pathParam(name);
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new ProblemException(400, "Path parameter '" + name + "' must be " + expected + ", was '" + value + "'");
        }
    }

    @Override
    public Optional<String> queryParam(String name) {
        List<String> values = queryParamMap().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public List<String> queryParams(String name) {
        return queryParamMap().getOrDefault(name, List.of());
    }

    @Override
    public Map<String, List<String>> queryParamMap() {
        if (queryParams == null) {
            queryParams = query == null ? Map.of()
                    : Map.copyOf(new QueryStringDecoder(query, StandardCharsets.UTF_8, false, 1024).parameters());
        }
        return queryParams;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.headers().get(name));
    }

    @Override
    public List<String> headers(String name) {
        return request.headers().getAll(name);
    }

    @Override
    public Optional<String> cookie(String name) {
        if (cookies == null) {
            cookies = new HashMap<>();
            for (String header : request.headers().getAll(HttpHeaderNames.COOKIE)) {
                for (io.netty.handler.codec.http.cookie.Cookie c : ServerCookieDecoder.STRICT.decode(header)) {
                    cookies.putIfAbsent(c.name(), c.value());
                }
            }
        }
        return Optional.ofNullable(cookies.get(name));
    }

    @Override
    public Optional<String> contentType() {
        return Optional.ofNullable(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    }

    @Override
    public String remoteAddress() {
        return connection.remoteAddress();
    }

    // ---- body ---------------------------------------------------------------------------------

    @Override
    public InputStream bodyAsInputStream() {
        if (bodyBytes != null) {
            return new java.io.ByteArrayInputStream(bodyBytes);
        }
        if (bodyTaken) {
            throw new IllegalStateException("The request body was already consumed");
        }
        bodyTaken = true;
        if (aggregatedBody != null) {
            return new ByteBufInputStream(aggregatedBody.retainedDuplicate(), true);
        }
        if (bodyStream != null) {
            return bodyStream;
        }
        return InputStream.nullInputStream();
    }

    @Override
    public byte[] bodyAsBytes() {
        if (bodyBytes == null) {
            try (InputStream in = bodyAsInputStream()) {
                bodyBytes = readLimited(in, route.maxBodySize());
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read the request body", e);
            }
        }
        return bodyBytes;
    }

    private static byte[] readLimited(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > limit) {
                throw new ProblemException(413, "The request body exceeds " + limit + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Override
    public String body() {
        return new String(bodyAsBytes(), requestCharset());
    }

    private Charset requestCharset() {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null) {
            int at = type.toLowerCase(java.util.Locale.ROOT).indexOf("charset=");
            if (at >= 0) {
                String name = type.substring(at + 8).split(";")[0].trim().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (RuntimeException e) {
                    throw new ProblemException(415, "Unsupported charset '" + name + "'");
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public <T> T bodyAs(Class<T> type) {
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !isJson(contentType)) {
            throw new ProblemException(new Problem(Problems.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", 415,
                    "Expected a JSON body (Content-Type: application/json), got "
                            + (contentType == null ? "no Content-Type" : "'" + contentType + "'"),
                    null, List.of(), Map.of()));
        }
        T value;
        if (bodyBytes != null || aggregatedBody != null) {
            value = connection.runtime().json.read(new java.io.ByteArrayInputStream(bodyAsBytes()), type);
        } else {
            try (InputStream in = new LimitedInputStream(bodyAsInputStream(), route.maxBodySize())) {
                value = connection.runtime().json.read(in, type);
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read the request body", e);
            }
        }
        BeanValidation.validate(value);
        return value;
    }

    private static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        int semi = type.indexOf(';');
        String mime = (semi < 0 ? type : type.substring(0, semi)).trim();
        return mime.equals("application/json") || mime.endsWith("+json");
    }

    @Override
    public Optional<String> formParam(String name) {
        List<String> values = formParams(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public List<String> formParams(String name) {
        return form().fields().getOrDefault(name, List.of());
    }

    @Override
    public Optional<UploadedFile> uploadedFile(String name) {
        List<UploadedFile> files = uploadedFiles(name);
        return files.isEmpty() ? Optional.empty() : Optional.of(files.getFirst());
    }

    @Override
    public List<UploadedFile> uploadedFiles(String name) {
        return form().files().getOrDefault(name, List.of());
    }

    private FormBody form() {
        if (form == null) {
            form = FormBody.parse(this, connection.runtime().config);
        }
        return form;
    }

    // ---- attributes ---------------------------------------------------------------------------

    @Override
    public Context attribute(String key, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        attributes.put(key, value);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> attribute(String key) {
        return attributes == null ? Optional.empty() : Optional.ofNullable((T) attributes.get(key));
    }

    // ---- response -----------------------------------------------------------------------------

    @Override
    public Context status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("Not an HTTP status code: " + status);
        }
        this.status = status;
        return this;
    }

    @Override public int status() { return status; }

    @Override
    public Context header(String name, String value) {
        NAMES.validateName(Objects.requireNonNull(name, "name"));
        responseHeaders.set(name, checked(value));
        return this;
    }

    /** A handler's header value, refused if Netty's validator would refuse it (CR, LF, other controls). */
    private static String checked(String value) {
        VALUES.validate(Objects.requireNonNull(value, "value"));
        return value;
    }

    @Override
    public Context contentType(String contentType) {
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, checked(contentType));
        return this;
    }

    @Override
    public Context cookie(Cookie cookie) {
        io.netty.handler.codec.http.cookie.DefaultCookie c =
                new io.netty.handler.codec.http.cookie.DefaultCookie(cookie.name(), cookie.value());
        c.setPath(cookie.path());
        cookie.domain().ifPresent(c::setDomain);
        cookie.maxAge().ifPresent(age -> c.setMaxAge(age.toSeconds()));
        c.setHttpOnly(cookie.httpOnly());
        c.setSecure(cookie.secure());
        c.setSameSite(io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite.valueOf(cookie.sameSite()));
        responseHeaders.add(HttpHeaderNames.SET_COOKIE, checked(ServerCookieEncoder.STRICT.encode(c)));
        return this;
    }

    @Override
    public Context text(String text) {
        return body(utf8(text), TEXT);
    }

    @Override
    public Context html(String html) {
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, HTML);
        return body(utf8(html), HTML);
    }

    /**
     * {@code text} as UTF-8 in a pooled buffer of its exact size. Encoded by {@link String#getBytes} (the
     * JDK's intrinsic encoder; a plain copy for ASCII) and copied in one piece: Netty's {@code writeUtf8}
     * into a direct buffer, without {@code sun.misc.Unsafe} (off on JDK 24+), costs one
     * {@code ByteBuffer.put} per byte, 1.2-3.5x slower than this (covet-jmh TextBodyBenchmark). The
     * garbage {@code byte[]} is the price.
     *
     * <p>A small body is only wrapped: Netty's response encoder copies a body of up to 128 bytes into the
     * buffer that holds the status line and headers, so a pooled buffer for it would be allocated, filled
     * and freed for nothing (a pipelined {@code /plaintext} spent ~4 % of its CPU doing that).
     */
    private ByteBuf utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= SMALL_BODY ? Unpooled.wrappedBuffer(bytes)
                : connection.alloc().buffer(bytes.length).writeBytes(bytes);
    }

    @Override
    public Context json(Object value) {
        ByteBuf buf = connection.runtime().json.write(value, connection.alloc());
        replaceBody(buf);
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, JSON);
        return this;
    }

    @Override
    public Context bytes(byte[] bytes) {
        return body(Unpooled.wrappedBuffer(bytes), OCTETS);
    }

    private Context body(ByteBuf body, AsciiString defaultType) {
        replaceBody(body);
        if (!responseHeaders.contains(HttpHeaderNames.CONTENT_TYPE)) {
            responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, defaultType);
        }
        return this;
    }

    private void replaceBody(ByteBuf buf) {
        checkNotStreaming();
        resetBody();
        responseBody = buf;
    }

    @Override
    public Context stream(InputStream stream) {
        requireBlockingRoute("stream()");
        requireNoFuture("stream()");
        checkNotStreaming();
        resetBody();
        responseStream = stream;
        if (!responseHeaders.contains(HttpHeaderNames.CONTENT_TYPE)) {
            responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, OCTETS);
        }
        return this;
    }

    @Override
    public Context file(Path file) {
        requireBlockingRoute("file()"); // stat and open are blocking file-system calls
        checkNotStreaming();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ProblemException(404, "File not found");
        }
        resetBody();
        responseFile = file;
        if (!responseHeaders.contains(HttpHeaderNames.CONTENT_TYPE)) {
            responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, MediaTypes.forFileName(file.getFileName().toString()));
        }
        return this;
    }

    @Override
    public Context redirect(String location) {
        return redirect(location, 302);
    }

    @Override
    public Context redirect(String location, int status) {
        if (status < 300 || status > 399) {
            throw new IllegalArgumentException("A redirect needs a 3xx status, got " + status);
        }
        checked(location);
        resetBody();
        this.status = status;
        responseHeaders.set(HttpHeaderNames.LOCATION, location);
        return this;
    }

    @Override
    public OutputStream output() {
        requireBlockingRoute("output()");
        requireNoFuture("output()");
        if (output == null) {
            if (beforeOutput != null) {
                beforeOutput.run();
                beforeOutput = null;
            }
            resetBody();
            output = new ChunkedOutput(this);
        }
        return output;
    }

    @Override
    public Context future(CompletionStage<?> done) {
        Objects.requireNonNull(done, "done");
        if (futureCalled) {
            throw new IllegalStateException("future() was already called for this request");
        }
        if (output != null || responseStream != null) {
            throw new IllegalStateException("future() cannot follow output() or stream(): the response is streamed");
        }
        futureCalled = true;
        pending = done;
        return this;
    }

    private void requireBlockingRoute(String what) {
        if (route.nonBlocking()) {
            throw new IllegalStateException(what + " blocks, so it is not available on the non-blocking route "
                    + route.pattern() + "; remove RouteOptions.nonBlocking() from it");
        }
    }

    /** A streamed response belongs to the handler's thread; a future's callbacks may run on any thread. */
    private void requireNoFuture(String what) {
        if (futureCalled) {
            throw new IllegalStateException(what + " cannot be used after future(): stream from the handler "
                    + "on a blocking route instead");
        }
    }

    private void checkNotStreaming() {
        if (output != null && output.committed()) {
            throw new IllegalStateException("The response is already being streamed; its body cannot be replaced");
        }
    }

    /** Drops any body set so far (keeping status and headers); used before writing an error. */
    void resetBody() {
        if (responseBody != null) {
            responseBody.release();
            responseBody = null;
        }
        responseFile = null;
        if (responseStream != null) {
            try {
                responseStream.close();
            } catch (IOException ignored) {
                // the stream was never read; closing it is only to free its resource
            }
            responseStream = null;
        }
    }

    void sendProblem(Problem problem) {
        status = problem.status();
        responseBody = connection.runtime().json.writeProblem(problem, path, connection.alloc());
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, PROBLEM_JSON);
        responseHeaders.remove(HttpHeaderNames.CONTENT_DISPOSITION);
    }

    /** Releases request-side resources: the aggregated body, unread body chunks, spooled uploads. */
    void releaseRequest() {
        if (aggregatedBody != null) {
            aggregatedBody.release();
            aggregatedBody = null;
        }
        if (bodyStream != null) {
            bodyStream.close();
        }
        if (form != null) {
            form.delete();
        }
    }

    /** An InputStream that fails with 413 once more than {@code limit} bytes were read. */
    private static final class LimitedInputStream extends java.io.FilterInputStream {
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > limit) {
                throw new ProblemException(413, "The request body exceeds " + limit + " bytes");
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (count += n) > limit) {
                throw new ProblemException(413, "The request body exceeds " + limit + " bytes");
            }
            return n;
        }
    }
}
