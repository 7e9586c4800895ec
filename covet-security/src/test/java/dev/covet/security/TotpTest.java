package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.covet.security.internal.Base32;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {
    static final String SEED1 = b32("12345678901234567890");
    static final String SEED256 = b32("12345678901234567890123456789012");
    static final String SEED512 = b32("1234567890123456789012345678901234567890123456789012345678901234");

    static String b32(String ascii) {
        return Base32.encode(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    static Totp at(long epochSecond, Totp.Hash hash, int digits) {
        return Totp.builder().hash(hash).digits(digits).clock(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC)).build();
    }

    @ParameterizedTest(name = "t={0}")
    @CsvSource({
        "59,          94287082, 46119246, 90693936",
        "1111111109,  07081804, 68084774, 25091201",
        "1111111111,  14050471, 67062674, 99943326",
        "1234567890,  89005924, 91819424, 93441116",
        "2000000000,  69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826"})
    void codesMatchTheRfc6238TestVectors(long time, String sha1, String sha256, String sha512) {
        Instant t = Instant.ofEpochSecond(time);
        assertThat(at(0, Totp.Hash.SHA1, 8).code(SEED1, t)).isEqualTo(sha1);
        assertThat(at(0, Totp.Hash.SHA256, 8).code(SEED256, t)).isEqualTo(sha256);
        assertThat(at(0, Totp.Hash.SHA512, 8).code(SEED512, t)).isEqualTo(sha512);
        assertThat(at(time, Totp.Hash.SHA512, 8).verify("rfc", SEED512, sha512)).isTrue();
    }

    @Test
    void aCodeIsAcceptedOnceAndRefusedWhenReplayedInItsWindow() {
        Totp totp = at(1_000_000, Totp.Hash.SHA1, 6);
        String code = totp.code(SEED1, Instant.ofEpochSecond(1_000_000));
        assertThat(totp.verify("alice", SEED1, code)).isTrue();
        assertThat(totp.verify("alice", SEED1, code)).isFalse();
        // An earlier code still inside the window is refused too once a later one was used.
        String previous = totp.code(SEED1, Instant.ofEpochSecond(1_000_000 - 30));
        assertThat(totp.verify("alice", SEED1, previous)).isFalse();
        // Another account is independent.
        assertThat(totp.verify("bob", SEED1, code)).isTrue();
    }

    @Test
    void theWindowAcceptsNeighbouringStepsOnly() {
        Totp totp = at(1_000_020, Totp.Hash.SHA1, 6);
        Instant now = Instant.ofEpochSecond(1_000_020);
        assertThat(totp.verify("a", SEED1, totp.code(SEED1, now.minusSeconds(30)))).isTrue();
        assertThat(totp.verify("b", SEED1, totp.code(SEED1, now.plusSeconds(30)))).isTrue();
        assertThat(totp.verify("c", SEED1, totp.code(SEED1, now.minusSeconds(60)))).isFalse();
        assertThat(totp.verify("d", SEED1, totp.code(SEED1, now.plusSeconds(60)))).isFalse();
        Totp strict = Totp.builder().window(0).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
        assertThat(strict.verify("e", SEED1, totp.code(SEED1, now.minusSeconds(30)))).isFalse();
    }

    @Test
    void malformedCodesAreRefused() {
        Totp totp = Totp.create();
        for (String code : List.of("", "12345", "1234567", "12a456", " 123456", "１２３４５６")) {
            assertThat(totp.verify("a", SEED1, code)).as(code).isFalse();
        }
    }

    @Test
    void theReplayGuardInRedisIsSharedByInstances() {
        RedisClient client = RedisTestSupport.client(6379);
        String prefix = "covet-test:" + UUID.randomUUID() + ":";
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            Totp one = Totp.builder().replayGuard(TotpReplayGuard.redis(connection, prefix)).build();
            Totp two = Totp.builder().replayGuard(TotpReplayGuard.redis(connection, prefix)).build();
            String code = one.code(SEED1, Instant.now());
            assertThat(one.verify("alice", SEED1, code)).isTrue();
            assertThat(two.verify("alice", SEED1, code)).isFalse();
            RedisTestSupport.deleteKeys(connection.sync(), prefix);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void theOtpauthUriAndItsQrCodeCarryIssuerAccountAndSecret() throws Exception {
        Totp totp = Totp.create();
        String secret = totp.newSecret();
        assertThat(Base32.decode(secret)).hasSize(20);
        String uri = totp.uri("Covet Demo", "alice@example.com", secret);
        assertThat(uri).isEqualTo("otpauth://totp/Covet%20Demo:alice%40example.com?secret=" + secret
                + "&issuer=Covet%20Demo&algorithm=SHA1&digits=6&period=30");
        byte[] png = totp.qrPng(uri, 240);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        assertThat(decodeQr(image, pixels)).isEqualTo(uri);
    }

    @Test
    void everyEnrollmentQrCodeDecodes() throws Exception {
        // secrets differ in every enrollment, and so does the QR matrix: one unreadable layout is a bug
        Totp totp = Totp.create();
        for (int i = 0; i < 50; i++) {
            String uri = totp.uri("Covet Demo", "user" + i + "@example.com", totp.newSecret());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(totp.qrPng(uri, 240)));
            int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
            assertThat(decodeQr(image, pixels)).isEqualTo(uri);
        }
    }

    /**
     * ZXing's reader told that the image is a clean, generated code (PURE_BARCODE) rather than a photo:
     * without the hint, decoding a freshly generated code failed now and then (ChecksumException).
     */
    private static String decodeQr(BufferedImage image, int[] pixels) throws Exception {
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                        new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))),
                java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }

    @Test
    void recoveryCodesAreStoredHashedAndWorkOnceEach() {
        RecoveryCodes generated = RecoveryCodes.generate(10);
        assertThat(generated.codes()).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){3}"));
        assertThat(generated.hashes()).noneMatch(h -> generated.codes().stream().anyMatch(c -> h.contains(c.replace("-", ""))));
        assertThat(generated.toString()).doesNotContain(generated.codes().getFirst());
        String code = generated.codes().get(3);
        List<String> remaining = RecoveryCodes.redeem(code.toLowerCase().replace("-", " "), generated.hashes()).orElseThrow();
        assertThat(remaining).hasSize(9);
        assertThat(RecoveryCodes.redeem(code, remaining)).isEmpty();
        assertThat(RecoveryCodes.redeem("AAAA-AAAA-AAAA-AAAA", generated.hashes())).isEmpty();
    }
}
