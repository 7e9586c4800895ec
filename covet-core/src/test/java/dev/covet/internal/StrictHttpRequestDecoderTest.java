package dev.covet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The obs-fold scan reads eight bytes at a time: a fold must be found wherever it falls in a word. */
class StrictHttpRequestDecoderTest {

    @Test
    void matchesMarksExactlyTheMatchingBytes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int n = 0; n < 100_000; n++) {
            long word = random.nextLong();
            if (n % 3 == 0) { // plant some line feeds and near misses (0x0B, 0x8A)
                int at = random.nextInt(8) * 8;
                long planted = new long[] {0x0A, 0x0B, 0x8A, 0x00}[random.nextInt(4)];
                word = (word & ~(0xFFL << at)) | (planted << at);
            }
            long expected = 0;
            for (int i = 0; i < 8; i++) {
                if (((word >>> (8 * i)) & 0xFF) == 0x0A) {
                    expected |= 0x80L << (8 * i);
                }
            }
            assertThat(StrictHttpRequestDecoder.matches(word, 0x0A0A0A0A0A0A0A0AL)).as("word %016x", word).isEqualTo(expected);
        }
    }

    @Test
    void aFoldIsRefusedAtEveryOffsetAndAnUnfoldedHeadIsNot() {
        for (int pad = 0; pad < 24; pad++) {
            String name = "X-" + "a".repeat(pad);
            for (String fold : new String[] {" ", "\t"}) {
                assertThat(decodes("GET / HTTP/1.1\r\nHost: t\r\n" + name + ": one\r\n" + fold + "two\r\n\r\n"))
                        .as("folded after %s", name).isFalse();
            }
            // two line feeds in one eight-byte word, the second one folded
            assertThat(decodes("GET / HTTP/1.1\r\nHost: t\r\n" + name + ": one\r\nY: 1\r\n two\r\n\r\n"))
                    .as("short line before the fold after %s", name).isFalse();
            assertThat(decodes("GET / HTTP/1.1\r\nHost: t\r\n" + name + ": one two\r\nY: 1\r\n\r\n")).as(name).isTrue();
            // a fold split across two reads, at every split point
            String folded = "GET / HTTP/1.1\r\nHost: t\r\n" + name + ": one\r\n two\r\n\r\n";
            for (int split = 1; split < folded.length(); split++) {
                assertThat(decodes(folded.substring(0, split), folded.substring(split))).as("split %d", split).isFalse();
            }
        }
    }

    /** Whether the head decodes into a request without a failure. */
    private static boolean decodes(String... reads) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(new HttpDecoderConfig(), KnownPaths.NONE));
        try {
            for (String read : reads) {
                channel.writeInbound(Unpooled.copiedBuffer(read, StandardCharsets.US_ASCII));
            }
            Object first = channel.readInbound();
            assertThat(first).isInstanceOf(HttpRequest.class);
            boolean ok = ((HttpRequest) first).decoderResult().isSuccess();
            ReferenceCountUtil.release(first);
            return ok;
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
