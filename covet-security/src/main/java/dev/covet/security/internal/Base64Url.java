package dev.covet.security.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * Strict base64url without padding (RFC 7515 section 2): only the 64 alphabet characters, and only the
 * one canonical spelling of each byte string. A segment whose length leaves one character over, or
 * whose last character carries bits that decoding would drop, is refused: lenient decoders (nimbus's
 * among them) read {@code ...Q} and {@code ...R} as the same bytes, which would let a signature be
 * re-spelled without a key.
 */
public final class Base64Url {
    private static final byte[] VALUES = new byte[128];
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    static {
        Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Url() { }

    /** True if {@code text[from, to)} is canonical unpadded base64url (the empty string is). */
    public static boolean isCanonical(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (value(text.charAt(i)) < 0) {
                return false;
            }
        }
        return hasCanonicalEnd(to - from, to > from ? value(text.charAt(to - 1)) : 0);
    }

    /**
     * Decodes {@code ascii[from, to)}.
     *
     * @throws IllegalArgumentException if it is not canonical unpadded base64url
     */
    public static byte[] decode(byte[] ascii, int from, int to) {
        int length = to - from;
        int last = length > 0 ? value((char) (ascii[to - 1] & 0xff)) : 0;
        if (last < 0 || !hasCanonicalEnd(length, last)) {  // last < 0: '=' padding, which the JDK would take
            throw new IllegalArgumentException("not canonical base64url");
        }
        // The JDK's decoder (intrinsified on x86) rejects characters outside the alphabet.
        ByteBuffer decoded = DECODER.decode(ByteBuffer.wrap(ascii, from, length));
        byte[] array = decoded.array();
        return decoded.arrayOffset() == 0 && decoded.remaining() == array.length
                ? array : Arrays.copyOfRange(array, decoded.arrayOffset() + decoded.position(), decoded.arrayOffset() + decoded.limit());
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }

    /** A last group of 2 or 3 characters must leave its unused low bits zero; a group of 1 is never valid. */
    private static boolean hasCanonicalEnd(int length, int lastValue) {
        return switch (length % 4) {
            case 1 -> false;
            case 2 -> (lastValue & 0x0f) == 0;
            case 3 -> (lastValue & 0x03) == 0;
            default -> true;
        };
    }
}
