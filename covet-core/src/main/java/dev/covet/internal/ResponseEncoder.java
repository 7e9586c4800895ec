package dev.covet.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Netty's response encoder, with the status line and the header block assembled in a plain array and
 * written with one bulk copy; the bytes are the same as Netty's ({@code ResponseEncoderTest} compares
 * them).
 *
 * <p>Why. Without {@code sun.misc.Unsafe} (Netty leaves it off on JDK 24+), every small write into a
 * direct buffer goes through a {@code ByteBuffer} VarHandle with its checks: Netty's header encoder
 * makes two two-byte writes per header and writes a {@code String} value one byte at a time, and its
 * status line is three copies and two small writes. On a pipelined {@code /plaintext} the two-byte
 * writes alone were ~57 ns of ~1,440 per request and the status line ~40 more (async-profiler,
 * {@code setShortBE}, {@code copyMemoryChecks}); stores into a {@code byte[]} cost a few.
 *
 * <p>Netty calls {@link #encodeInitialLine} and then, for the same buffer, {@link #encodeHeaders}: the
 * first leaves the status line in the scratch array, the second appends the headers and writes both.
 * Trailers come to {@link #encodeHeaders} alone, and are written alone.
 */
final class ResponseEncoder extends HttpResponseEncoder {
    /** A block larger than this is not kept for the next response (a huge cookie must not stay). */
    private static final int KEEP_AT_MOST = 8 * 1024;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[1024];
        }
    };
    private static final int FIRST_CODE = 100;
    /** Netty's own status for each code from 100 to 599 ({@code valueOf} of an unknown code makes a new one). */
    private static final HttpResponseStatus[] STATUSES = new HttpResponseStatus[500];
    /** {@code "HTTP/1.1 200 OK\r\n"} and so on, for each of {@link #STATUSES}. */
    private static final byte[][] HTTP_1_1_LINES = new byte[500][];

    static {
        for (int i = 0; i < STATUSES.length; i++) {
            STATUSES[i] = HttpResponseStatus.valueOf(FIRST_CODE + i);
            String text = statusLine(HttpVersion.HTTP_1_1, STATUSES[i]);
            HTTP_1_1_LINES[i] = new byte[text.length()];
            latin1(text, HTTP_1_1_LINES[i], 0);
        }
    }

    /** The buffer whose status line waits in {@link #line}, or null. */
    private ByteBuf lineFor;
    private byte[] line;
    private int lineLength;

    @Override
    protected void encodeInitialLine(ByteBuf buf, HttpResponse response) {
        HttpResponseStatus status = response.status();
        int index = status.code() - FIRST_CODE;
        byte[] scratch = SCRATCH.get();
        byte[] known = response.protocolVersion() == HttpVersion.HTTP_1_1 && index >= 0 && index < STATUSES.length
                && STATUSES[index] == status ? HTTP_1_1_LINES[index] : null;
        if (known != null) {
            System.arraycopy(known, 0, scratch, 0, known.length);
            lineLength = known.length;
        } else {
            String text = statusLine(response.protocolVersion(), status);
            scratch = text.length() > scratch.length ? new byte[text.length() * 2] : scratch;
            lineLength = latin1(text, scratch, 0);
        }
        line = scratch;
        lineFor = buf;
    }

    private static String statusLine(HttpVersion version, HttpResponseStatus status) {
        return version.text() + ' ' + status.code() + ' ' + status.reasonPhrase() + "\r\n";
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        byte[] scratch = SCRATCH.get();
        byte[] out = scratch;
        int n = 0;
        if (lineFor == buf) {
            out = line;
            n = lineLength;
        }
        lineFor = null;
        line = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            CharSequence value = header.getValue();
            int end = n + name.length() + value.length() + 4;
            if (end > out.length) {
                out = Arrays.copyOf(out, Math.max(end, out.length * 2));
            }
            n = latin1(name, out, n);
            out[n++] = ':';
            out[n++] = ' ';
            n = latin1(value, out, n);
            out[n++] = '\r';
            out[n++] = '\n';
        }
        buf.writeBytes(out, 0, n);
        if (out != scratch && out.length <= KEEP_AT_MOST) {
            SCRATCH.set(out);
        }
    }

    /** As Netty writes header text and status lines: a char up to 0xFF as its byte, any other as {@code ?}. */
    private static int latin1(CharSequence text, byte[] out, int at) {
        int length = text.length();
        if (text instanceof AsciiString ascii) {
            ascii.copy(0, out, at, length);
            return at + length;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            out[at + i] = c > 0xFF ? (byte) '?' : (byte) c;
        }
        return at + length;
    }
}
