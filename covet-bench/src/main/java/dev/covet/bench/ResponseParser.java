package dev.covet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * A lean HTTP/1.1 response parser for the load generator: it finds the status, the framing
 * headers ({@code Content-Length}, {@code Transfer-Encoding: chunked}) and the body, and hands
 * them to a {@link Listener} directly. It builds no header object and no string, and allocates
 * nothing per response; Netty's {@code HttpResponseDecoder}, which does, remains available as
 * the reference ({@code LoadSpec.Parser.NETTY}) and the tests run both.
 *
 * <p>Supported framing: Content-Length, chunked (extensions and trailers skipped), no body for
 * 1xx/204/304, and read-until-close when neither header is present. Responses to HEAD requests
 * are not supported (no scenario sends HEAD). Anything it cannot parse is reported once through
 * {@link Listener#onMalformed} and the rest of the connection's input is discarded.
 */
final class ResponseParser extends ByteToMessageDecoder {
    private static final int MAX_LINE = 8192;
    private static final long NONE = -1;

    /** Receives the parts of each response, in order. */
    interface Listener {
        void onStatus(int status);

        /** A slice of the body; valid only during the call. */
        void onBody(ByteBuf chunk);

        void onEnd();

        void onMalformed(String why);
    }

    private enum State { STATUS, HEADERS, BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILERS, UNTIL_CLOSE, FAILED }

    private final Listener listener;
    private State state = State.STATUS;
    private int status;
    private long contentLength;
    private boolean chunked;
    private long remaining;

    ResponseParser(Listener listener) {
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            switch (state) {
                case STATUS -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    parseStatus(in, eol);
                }
                case HEADERS -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    parseHeader(in, eol);
                }
                case BODY_LENGTH -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    listener.onBody(in.slice(in.readerIndex(), n));
                    in.skipBytes(n);
                    remaining -= n;
                    if (remaining == 0) {
                        end();
                    }
                }
                case CHUNK_SIZE -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    parseChunkSize(in, eol);
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    listener.onBody(in.slice(in.readerIndex(), n));
                    in.skipBytes(n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_CRLF;
                    }
                }
                case CHUNK_CRLF -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    if (eol - in.readerIndex() != 0) {
                        fail(in, "chunk data longer than its declared size");
                        return;
                    }
                    skipLine(in, eol);
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    boolean empty = eol == in.readerIndex();
                    skipLine(in, eol);
                    if (empty) {
                        end();
                    }
                }
                case UNTIL_CLOSE -> {
                    listener.onBody(in.slice());
                    in.skipBytes(in.readableBytes());
                }
                case FAILED -> in.skipBytes(in.readableBytes());
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (state == State.UNTIL_CLOSE) {
            end();
        }
    }

    /** Index of the '\n' ending the current line (the line's content excludes a preceding '\r'), or -1. */
    private int lineEnd(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > MAX_LINE) {
                fail(in, "line longer than " + MAX_LINE + " bytes");
            }
            return -1;
        }
        return lf > in.readerIndex() && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
    }

    /** Skips the line ending at {@code eol} (as returned by {@link #lineEnd}) and its terminator. */
    private static void skipLine(ByteBuf in, int eol) {
        in.readerIndex(in.getByte(eol) == '\r' ? eol + 2 : eol + 1);
    }

    private void parseStatus(ByteBuf in, int eol) {
        int start = in.readerIndex();
        // "HTTP/1.x SSS" at least
        if (eol - start < 12 || in.getByte(start) != 'H' || in.getByte(start + 1) != 'T' || in.getByte(start + 2) != 'T'
                || in.getByte(start + 3) != 'P' || in.getByte(start + 4) != '/' || in.getByte(start + 5) != '1'
                || in.getByte(start + 6) != '.' || in.getByte(start + 8) != ' ') {
            fail(in, "not an HTTP/1.x status line");
            return;
        }
        int s = 0;
        for (int i = start + 9; i < start + 12; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) {
                fail(in, "status code is not three digits");
                return;
            }
            s = s * 10 + d;
        }
        status = s;
        contentLength = NONE;
        chunked = false;
        skipLine(in, eol);
        state = State.HEADERS;
    }

    private void parseHeader(ByteBuf in, int eol) {
        int start = in.readerIndex();
        if (eol == start) {
            skipLine(in, eol);
            headersDone(in);
            return;
        }
        int colon = in.indexOf(start, eol, (byte) ':');
        if (colon <= start) {
            fail(in, "header line without a name and a colon");
            return;
        }
        int nameLength = colon - start;
        if (nameLength == 14 && nameIs(in, start, "content-length")) {
            long v = 0;
            boolean digits = false;
            for (int i = colon + 1; i < eol; i++) {
                byte b = in.getByte(i);
                if (b >= '0' && b <= '9') {
                    v = v * 10 + (b - '0');
                    digits = true;
                    if (v > Integer.MAX_VALUE) {
                        fail(in, "Content-Length too large");
                        return;
                    }
                } else if (b != ' ' && b != '\t') {
                    fail(in, "Content-Length is not a number");
                    return;
                }
            }
            if (!digits) {
                fail(in, "empty Content-Length");
                return;
            }
            if (contentLength != NONE && contentLength != v) {
                fail(in, "conflicting Content-Length headers");
                return;
            }
            contentLength = v;
        } else if (nameLength == 17 && nameIs(in, start, "transfer-encoding")) {
            chunked = containsIgnoreCase(in, colon + 1, eol, "chunked");
        }
        skipLine(in, eol);
    }

    private void headersDone(ByteBuf in) {
        listener.onStatus(status);
        if (status / 100 == 1 || status == 204 || status == 304) {
            end();
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength == 0) {
            end();
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.BODY_LENGTH;
        } else {
            state = State.UNTIL_CLOSE;
        }
    }

    private void parseChunkSize(ByteBuf in, int eol) {
        long size = 0;
        boolean digits = false;
        for (int i = in.readerIndex(); i < eol; i++) {
            int b = in.getByte(i);
            int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (d < 0) {
                if (b == ';' || b == ' ' || b == '\t') {
                    break; // chunk extensions: ignored
                }
                fail(in, "bad chunk size");
                return;
            }
            size = size * 16 + d;
            digits = true;
            if (size > Integer.MAX_VALUE) {
                fail(in, "chunk too large");
                return;
            }
        }
        if (!digits) {
            fail(in, "empty chunk size");
            return;
        }
        skipLine(in, eol);
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    private void end() {
        state = State.STATUS;
        listener.onEnd();
    }

    private void fail(ByteBuf in, String why) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        listener.onMalformed(why);
    }

    /** Case-insensitive comparison of an ASCII header name with a lower-case constant. */
    private static boolean nameIs(ByteBuf in, int start, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int b = in.getByte(start + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(ByteBuf in, int from, int to, String lower) {
        outer:
        for (int i = from; i + lower.length() <= to; i++) {
            for (int j = 0; j < lower.length(); j++) {
                int b = in.getByte(i + j);
                if (b >= 'A' && b <= 'Z') {
                    b += 'a' - 'A';
                }
                if (b != lower.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
