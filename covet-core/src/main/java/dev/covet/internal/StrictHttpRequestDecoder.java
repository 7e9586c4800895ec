package dev.covet.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder with the two rules it cannot be configured to enforce.
 *
 * <p><b>Line folding.</b> Netty joins an obs-fold line (a header line that starts with a space or tab)
 * to the previous value without a trace, so no later check can tell {@code "X: a\r\n b"} from
 * {@code "X: a b"}. RFC 9112 §5.2 lets a server reject it with 400 instead, which is what Helidon does
 * and what we do: folding is how a header hides from one parser and not another. While a request head
 * is being decoded, this class looks at the bytes the decoder just consumed for a line feed followed
 * by SP or HTAB (whitespace after the request line, RFC 9112 §2.2, is caught by the same test). Only
 * head bytes are scanned, once, eight at a time; bodies are never looked at.
 *
 * <p><b>Version.</b> Netty upper-cases the version before parsing it, so {@code http/1.1} would pass,
 * and it hands any {@code HTTP/x.y} to us. Here the version must be exactly {@code HTTP/} DIGIT
 * {@code .} DIGIT (RFC 9112 §2.3, case-sensitive), else 400. {@code HTTP/1.2} and later minor
 * versions are read as HTTP/1.1, as RFC 9110 §6.2 asks of a recipient; other major versions reach
 * {@link HttpConnection}, which answers 505. The exact strings {@code HTTP/1.1} and {@code HTTP/1.0}
 * take the fast path: Netty already returns them as interned constants.
 *
 * <p>After a violation the decoder emits a failed request (as Netty does for its own errors) and
 * discards everything else the connection sends; the connection answers 400 and closes.
 */
final class StrictHttpRequestDecoder extends HttpRequestDecoder {
    private static final String HTTP_1_1 = HttpVersion.HTTP_1_1.text();
    private static final String HTTP_1_0 = HttpVersion.HTTP_1_0.text();

    /** True from the end of one message to the end of the next message's head. */
    private boolean inHead = true;
    /** Whether the last head byte consumed so far was a line feed (a fold may start in the next read). */
    private boolean afterLineFeed = true;
    private boolean failed;

    private final KnownPaths knownPaths;

    StrictHttpRequestDecoder(HttpDecoderConfig config, KnownPaths knownPaths) {
        super(config);
        this.knownPaths = knownPaths;
    }

    /** The request target: a route's own path string when it is one ({@link KnownPaths}), else a new one. */
    @Override
    protected String splitSecondWordInitialLine(byte[] line, int start, int length) {
        String known = knownPaths.find(line, start, length);
        return known != null ? known : super.splitSecondWordInitialLine(line, start, length);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (failed) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        int start = buffer.readerIndex();
        int produced = out.size();
        boolean scanning = inHead;
        super.decode(ctx, buffer, out);
        if (scanning && hasObsFold(buffer, start, buffer.readerIndex())) {
            reject(out, produced, new IllegalArgumentException(
                    "Obsolete line folding (a header line starting with whitespace) is not accepted"));
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        for (int i = produced; i < out.size(); i++) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest) {
                inHead = false;
            }
            if (msg instanceof LastHttpContent) {
                inHead = true;
                afterLineFeed = true;
            }
        }
    }

    private boolean hasObsFold(ByteBuf buffer, int from, int to) {
        // Eight bytes per read, found with SWAR masks: a head is a few hundred bytes, and byte-by-byte
        // reads of a direct buffer cost ~5% of a pipelined request's CPU (async-profiler).
        int at = from;
        boolean carry = afterLineFeed; // the byte before this word (or this call) was a line feed
        for (; at + Long.BYTES <= to; at += Long.BYTES) {
            long word = buffer.getLongLE(at);
            long lineFeeds = matches(word, 0x0A0A0A0A0A0A0A0AL);
            long blanks = matches(word, 0x2020202020202020L) | matches(word, 0x0909090909090909L);
            if ((lineFeeds << 8 & blanks) != 0 || carry && (blanks & 0x80) != 0) {
                return true;
            }
            carry = lineFeeds < 0; // the high bit of the last byte
        }
        for (; at < to; at++) {
            byte b = buffer.getByte(at);
            if (carry && isSpaceOrTab(b)) {
                return true;
            }
            carry = b == '\n';
        }
        afterLineFeed = carry;
        return false;
    }

    /**
     * The high bit of every byte of {@code word} equal to the byte repeated in {@code pattern}, and no
     * other bit: exact, no false hits (the classic "has zero byte" test on {@code word ^ pattern}).
     */
    static long matches(long word, long pattern) {
        long x = word ^ pattern;
        long low7 = 0x7F7F7F7F7F7F7F7FL;
        return ~(((x & low7) + low7) | x | low7);
    }

    private static boolean isSpaceOrTab(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Replaces what this call produced with one failed request, the way Netty reports its own errors. */
    private void reject(List<Object> out, int produced, Exception cause) {
        failed = true;
        HttpRequest failedRequest = null;
        for (int i = out.size() - 1; i >= produced; i--) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest request && !(msg instanceof LastHttpContent)) {
                failedRequest = request; // keep the request itself (headers are dropped by the connection)
                out.remove(i);
            } else {
                io.netty.util.ReferenceCountUtil.release(out.remove(i));
            }
        }
        if (failedRequest == null) {
            failedRequest = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request",
                    Unpooled.EMPTY_BUFFER, headersFactory, trailersFactory);
        }
        failedRequest.setDecoderResult(DecoderResult.failure(cause));
        out.add(failedRequest);
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        String version = initialLine[2];
        if (version != HTTP_1_1 && version != HTTP_1_0) {
            initialLine[2] = checkVersion(version);
        }
        return super.createMessage(initialLine);
    }

    private static String checkVersion(String version) {
        if (version.length() != 8 || !version.startsWith("HTTP/") || version.charAt(6) != '.'
                || !isDigit(version.charAt(5)) || !isDigit(version.charAt(7))) {
            throw new IllegalArgumentException("Malformed HTTP version (expected HTTP/1.1)");
        }
        if (version.charAt(5) == '1') {
            return version.charAt(7) == '0' ? HTTP_1_0 : HTTP_1_1;
        }
        return version; // another major version: answered 505 by the connection
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
