package dev.covet.security;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.covet.security.internal.Base32;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;

/**
 * Time-based one-time passwords (RFC 6238, over HOTP, RFC 4226), as authenticator apps show them.
 *
 * <pre>{@code
 * Totp totp = Totp.create();                         // SHA1, 6 digits, 30 s, window +-1 step
 * String secret = totp.newSecret();                  // store it with the account (encrypted at rest)
 * String uri = totp.uri("Covet Demo", "alice@example.com", secret);
 * byte[] png = totp.qrPng(uri, 240);                 // show once while enrolling
 * boolean ok = totp.verify("alice", secret, "123456"); // false for a replayed code
 * }</pre>
 *
 * <p>A code is accepted at most once per account (and so is any code from an earlier step): see
 * {@link TotpReplayGuard}. Six digits within a window of three steps can be guessed with
 * probability 3 in a million per attempt, so rate-limit attempts (see {@link LoginGuard}).
 */
public final class Totp {
    /** The HMAC behind the code. Authenticator apps universally support SHA1; some ignore the others. */
    public enum Hash {
        SHA1("HmacSHA1", 20), SHA256("HmacSHA256", 32), SHA512("HmacSHA512", 64);

        private final String mac;
        private final int secretBytes;

        Hash(String mac, int secretBytes) {
            this.mac = mac;
            this.secretBytes = secretBytes;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final Hash hash;
    private final int digits;
    private final Duration period;
    private final int window;
    private final Clock clock;
    private final TotpReplayGuard replayGuard;

    private Totp(Builder b) {
        this.hash = b.hash;
        this.digits = b.digits;
        this.period = b.period;
        this.window = b.window;
        this.clock = b.clock;
        this.replayGuard = b.replayGuard;
    }

    /** SHA1, 6 digits, 30-second steps, one step of tolerance either side, in-memory replay guard. */
    public static Totp create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A new random secret, base32, as long as the hash output (RFC 4226 recommends at least 160 bits). */
    public String newSecret() {
        byte[] secret = new byte[hash.secretBytes];
        RANDOM.nextBytes(secret);
        return Base32.encode(secret);
    }

    /** The code for {@code secret} (base32) at {@code time}. */
    public String code(String secret, Instant time) {
        return hotp(Base32.decode(secret), step(time));
    }

    /**
     * True if {@code code} is valid for {@code secret} now (within the window) and was not accepted
     * before for {@code account}; a true answer consumes the code. Comparisons are constant-time.
     */
    public boolean verify(String account, String secret, String code) {
        if (code.length() != digits || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        byte[] key = Base32.decode(secret);
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        long now = step(clock.instant());
        long matched = -1;
        for (long step = now - window; step <= now + window; step++) {
            if (MessageDigest.isEqual(hotp(key, step).getBytes(StandardCharsets.US_ASCII), given) && matched < 0) {
                matched = step;
            }
        }
        return matched >= 0 && replayGuard.accept(account, matched, period.multipliedBy(2L * window + 2));
    }

    /** The {@code otpauth://} URI authenticator apps enrol from (Key Uri Format). */
    public String uri(String issuer, String account, String secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(issuer) + "&algorithm=" + hash.name()
                + "&digits=" + digits + "&period=" + period.toSeconds();
    }

    /** {@code uri} as a QR code PNG of about {@code size} pixels square. */
    public byte[] qrPng(String uri, int size) {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(uri, BarcodeFormat.QR_CODE, size, size,
                    Map.of(EncodeHintType.MARGIN, 2, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
            BufferedImage image = new BufferedImage(matrix.getWidth(), matrix.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
            for (int y = 0; y < matrix.getHeight(); y++) {
                for (int x = 0; x < matrix.getWidth(); x++) {
                    image.setRGB(x, y, matrix.get(x, y) ? 0xff000000 : 0xffffffff);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (WriterException e) {
            throw new IllegalArgumentException("Cannot encode this URI as a QR code", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long step(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), period.toSeconds());
    }

    private String hotp(byte[] key, long counter) {
        try {
            Mac mac = Mac.getInstance(hash.mac);
            mac.init(new SecretKeySpec(key, "RAW"));
            byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(counter).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            String code = Integer.toString(binary % POWERS[digits]);
            return "0".repeat(digits - code.length()) + code;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Configures a {@link Totp}. */
    public static final class Builder {
        private Hash hash = Hash.SHA1;
        private int digits = 6;
        private Duration period = Duration.ofSeconds(30);
        private int window = 1;
        private Clock clock = Clock.systemUTC();
        private TotpReplayGuard replayGuard = TotpReplayGuard.inMemory();

        private Builder() { }

        /** The HMAC (default SHA1, what every app supports). */
        public Builder hash(Hash hash) { this.hash = hash; return this; }

        /** Code length, 6 to 8 (default 6). */
        public Builder digits(int digits) {
            if (digits < 6 || digits > 8) {
                throw new IllegalArgumentException("digits must be 6, 7 or 8");
            }
            this.digits = digits;
            return this;
        }

        /** Step length (default 30 s). */
        public Builder period(Duration period) {
            if (period.toSeconds() < 1) {
                throw new IllegalArgumentException("period must be at least 1 s");
            }
            this.period = period;
            return this;
        }

        /** Steps accepted before and after the current one, 0 to 3 (default 1). */
        public Builder window(int window) {
            if (window < 0 || window > 3) {
                throw new IllegalArgumentException("window must be 0 to 3 steps");
            }
            this.window = window;
            return this;
        }

        /** The clock (for tests). */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /** Where accepted steps are remembered (default in memory). */
        public Builder replayGuard(TotpReplayGuard guard) { this.replayGuard = guard; return this; }

        public Totp build() {
            return new Totp(this);
        }
    }
}
