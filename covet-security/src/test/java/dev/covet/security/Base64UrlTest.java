package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.security.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64UrlTest {
    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decodesWhatTheJdkEncoderWritesForEveryLength() {
        Random random = new Random(7);
        for (int length = 0; length < 70; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            String text = "x." + Base64.getUrlEncoder().withoutPadding().encodeToString(data) + ".y";
            assertThat(Base64Url.isCanonical(text, 2, text.length() - 2)).isTrue();
            assertThat(Base64Url.decode(ascii(text), 2, text.length() - 2)).isEqualTo(data);
        }
    }

    @Test
    void refusesPaddingStandardAlphabetALoneCharacterAndSetUnusedBits() {
        for (String text : new String[] {"QQ==", "QUI=", "a+b/", "QUJDR", "QR", "QUJ", "QUF"}) {
            assertThat(Base64Url.isCanonical(text, 0, text.length())).as(text).isFalse();
            assertThatThrownBy(() -> Base64Url.decode(ascii(text), 0, text.length())).as(text)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Base64Url.isCanonical("QQ", 0, 2)).isTrue();   // "A"
        assertThat(Base64Url.isCanonical("QUI", 0, 3)).isTrue();  // "AB"
    }
}
