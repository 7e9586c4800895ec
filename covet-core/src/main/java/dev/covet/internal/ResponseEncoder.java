package dev.covet.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Netty's response encoder, with the header block assembled in a plain array and written with one
 * bulk copy; the bytes are the same as Netty's ({@code ResponseEncoderTest} compares them).
 *
 * <p>Why. Without {@code sun.misc.Unsafe} (Netty leaves it off on JDK 24+), every small write into a
 * direct buffer goes through a {@code ByteBuffer} VarHandle with its checks: Netty's header encoder
 * makes two two-byte writes per header and writes a {@code String} value one byte at a time. On a
 * pipelined {@code /plaintext} the two-byte writes alone were ~57 ns of ~1,440 per request
 * (async-profiler, {@code setShortBE}); stores into a {@code byte[]} cost a few.
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

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        byte[] scratch = SCRATCH.get();
        byte[] out = scratch;
        int n = 0;
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

    /** As Netty writes header text: a char up to 0xFF as its byte, any other as {@code ?}. */
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
