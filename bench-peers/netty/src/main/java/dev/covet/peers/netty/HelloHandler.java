package dev.covet.peers.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers /plaintext, /json, /echo, /json-list and /validated straight from the decoded HTTP objects.
 * Responses are written without flushing; {@link #channelReadComplete} flushes once per read, which is
 * what makes pipelined requests cheap. One instance per connection (it holds the state of a request
 * body being received).
 */
final class HelloHandler extends ChannelInboundHandlerAdapter {

    /** Jackson 3 mappers are immutable and thread-safe: one for the whole server. */
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final int MAX_ECHO_BODY = 1 << 20;

    private static final AsciiString SERVER_NAME = AsciiString.cached("Netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    private static final AsciiString PROBLEM_JSON = AsciiString.cached("application/problem+json");
    private static final AsciiString ZERO = AsciiString.cached("0");

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString HELLO_LENGTH = AsciiString.cached(String.valueOf(HELLO.length));
    /** TechEmpower allows the plaintext body to be a constant; the json body may not be. */
    private static final ByteBuf HELLO_BUFFER =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer(HELLO.length).writeBytes(HELLO)).asReadOnly();

    /** We only ever set constant, known-good header values: skip per-header validation. */
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final DateHeader date;

    /** The /echo or /validated request whose body is being received, or null. */
    private BodyInProgress echo;

    HelloHandler(DateHeader date) {
        this.date = date;
    }

    /** A POST body being gathered; {@code validate} tells /validated from /echo. */
    private record BodyInProgress(boolean validate, String contentType, boolean keepAlive, boolean http10, ByteBuf body) {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                onRequest(ctx, request);
            }
            if (msg instanceof HttpContent content) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            write(ctx, response(HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER, null, ZERO), false, false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean http10 = request.protocolVersion() == HttpVersion.HTTP_1_0;
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        HttpMethod method = request.method();
        switch (path) {
            case "/plaintext" -> {
                if (method == HttpMethod.GET) {
                    write(ctx, response(HttpResponseStatus.OK, HELLO_BUFFER.duplicate(), TEXT_PLAIN, HELLO_LENGTH), keepAlive, http10);
                } else {
                    write(ctx, empty(HttpResponseStatus.METHOD_NOT_ALLOWED), keepAlive, http10);
                }
            }
            case "/json" -> {
                if (method == HttpMethod.GET) {
                    ByteBuf body = json(ctx, new Message("Hello, World!"), 64);
                    write(ctx, response(HttpResponseStatus.OK, body, APPLICATION_JSON, String.valueOf(body.readableBytes())),
                            keepAlive, http10);
                } else {
                    write(ctx, empty(HttpResponseStatus.METHOD_NOT_ALLOWED), keepAlive, http10);
                }
            }
            case "/echo", "/validated" -> {
                if (method == HttpMethod.POST) {
                    echo = new BodyInProgress(path.equals("/validated"), request.headers().get(HttpHeaderNames.CONTENT_TYPE), keepAlive,
                            http10, ctx.alloc().buffer());
                } else {
                    write(ctx, empty(HttpResponseStatus.METHOD_NOT_ALLOWED), keepAlive, http10);
                }
            }
            case "/json-list" -> {
                if (method == HttpMethod.GET) {
                    ByteBuf body = json(ctx, ApiPayloads.ITEMS, 64 * 1024);
                    write(ctx, response(HttpResponseStatus.OK, body, APPLICATION_JSON, String.valueOf(body.readableBytes())),
                            keepAlive, http10);
                } else {
                    write(ctx, empty(HttpResponseStatus.METHOD_NOT_ALLOWED), keepAlive, http10);
                }
            }
            default -> write(ctx, empty(HttpResponseStatus.NOT_FOUND), keepAlive, http10);
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        BodyInProgress current = echo;
        if (current == null) {
            return; // the body of a request already answered: ignore it
        }
        ByteBuf chunk = content.content();
        if (current.body().readableBytes() + chunk.readableBytes() > MAX_ECHO_BODY) {
            echo = null;
            current.body().release();
            write(ctx, empty(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE), false, current.http10());
            return;
        }
        current.body().writeBytes(chunk);
        if (content instanceof LastHttpContent) {
            echo = null;
            ByteBuf body = current.body();
            if (current.validate()) {
                validated(ctx, current);
                return;
            }
            write(ctx, response(HttpResponseStatus.OK, body, current.contentType(), String.valueOf(body.readableBytes())),
                    current.keepAlive(), current.http10());
        }
    }

    /** POST /validated: the user back (200), 422 problem+json naming the invalid fields, 400 for a body that is not one. */
    private void validated(ChannelHandlerContext ctx, BodyInProgress request) {
        byte[] bytes = ByteBufUtil.getBytes(request.body());
        request.body().release();
        ApiPayloads.NewUser user;
        try {
            user = MAPPER.readValue(bytes, ApiPayloads.NewUser.class);
        } catch (JacksonException e) {
            write(ctx, empty(HttpResponseStatus.BAD_REQUEST), request.keepAlive(), request.http10());
            return;
        }
        List<ApiPayloads.FieldError> invalid = ApiPayloads.invalidFields(user);
        ByteBuf body = json(ctx, invalid.isEmpty() ? user : ApiPayloads.validationProblem(invalid), 256);
        write(ctx, response(invalid.isEmpty() ? HttpResponseStatus.OK : HttpResponseStatus.UNPROCESSABLE_ENTITY, body,
                invalid.isEmpty() ? APPLICATION_JSON : PROBLEM_JSON, String.valueOf(body.readableBytes())), request.keepAlive(),
                request.http10());
    }

    private static ByteBuf json(ChannelHandlerContext ctx, Object value, int expectedSize) {
        ByteBuf body = ctx.alloc().ioBuffer(expectedSize);
        try {
            MAPPER.writeValue((OutputStream) new ByteBufOutputStream(body), value);
            return body;
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
    }

    private FullHttpResponse empty(HttpResponseStatus status) {
        return response(status, Unpooled.EMPTY_BUFFER, null, ZERO);
    }

    private FullHttpResponse response(HttpResponseStatus status, ByteBuf body, CharSequence contentType,
                                      CharSequence contentLength) {
        HttpHeaders headers = HEADERS.newHeaders();
        if (contentType != null) {
            headers.add(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        headers.add(HttpHeaderNames.SERVER, SERVER_NAME);
        headers.add(HttpHeaderNames.DATE, date.value());
        headers.add(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, headers, EmptyHttpHeaders.INSTANCE);
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean http10) {
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.write(response);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (echo != null) {
            echo.body().release();
            echo = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset peer or a malformed stream: nothing useful to say to the client
    }
}
