package dev.covet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link ResponseEncoder} writes exactly the bytes Netty's own encoder writes, whatever the headers. */
class ResponseEncoderTest {

    /** The bytes {@code encoder} writes for the messages {@code messages} makes (made afresh per encoder). */
    private static byte[] encode(ChannelOutboundHandler encoder, Supplier<List<Object>> messages) {
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        for (Object m : messages.get()) {
            ch.writeOutbound(m);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.writeBytes(bytes);
            b.release();
        }
        ch.finishAndReleaseAll();
        return out.toByteArray();
    }

    private static void assertSameAsNetty(Supplier<List<Object>> messages) {
        byte[] netty = encode(new HttpResponseEncoder(), messages);
        byte[] ours = encode(new ResponseEncoder(), messages);
        assertThat(netty).isNotEmpty();
        assertThat(new String(ours, StandardCharsets.ISO_8859_1)).isEqualTo(new String(netty, StandardCharsets.ISO_8859_1));
    }

    private static DefaultFullHttpResponse plain(String body) {
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set("X-Name-As-String", "value as a String");
        return r;
    }

    @Test
    void aSmallResponseIsByteForByteNettys() {
        assertSameAsNetty(() -> List.of(plain("Hello, World!"), plain("again, on the same channel")));
    }

    @Test
    void textOutsideAsciiIsWrittenAsNettyWritesIt() {
        assertSameAsNetty(() -> {
            DefaultFullHttpResponse r = plain("x");
            r.headers().add("X-Latin-1", "café").add("X-Beyond-Latin-1", "price: 5 € or ☃").add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
            return List.of(r);
        });
    }

    @Test
    void aHeaderBlockLargerThanTheScratchArrayAndThenASmallOne() {
        assertSameAsNetty(() -> {
            DefaultFullHttpResponse big = plain("big");
            for (int i = 0; i < 40; i++) {
                big.headers().add("X-Filler-" + i, "v".repeat(300)); // ~12 KB: grows past what is kept
            }
            return List.of(big, plain("small after big"));
        });
    }

    @Test
    void chunkedResponseWithTrailers() {
        assertSameAsNetty(() -> {
            DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED).set("X-Before", "1");
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("end", StandardCharsets.US_ASCII));
            last.trailingHeaders().set("X-Checksum", "abc123").set("X-Other-Trailer", "é");
            return List.of(head, new DefaultHttpContent(Unpooled.copiedBuffer("part", StandardCharsets.US_ASCII)), last);
        });
    }

    @Test
    void statusLinesOfEveryKindAreNettys() {
        assertSameAsNetty(() -> List.of(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND),
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK),
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(299)), // unknown code
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Fine, café ☃")),
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(400, "x".repeat(3000))),
                plain("after a long status line")));
    }

    @Test
    void theStatusLineIsWrittenOnceAndNotAgainBeforeTrailers() {
        assertSameAsNetty(() -> {
            DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED);
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            last.trailingHeaders().set("X-Trailer", "t");
            return List.of(head, last, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.ACCEPTED));
        });
    }
}
