package dev.covet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownPathsTest {
    private final String plaintext = new String("/plaintext"); // not the literal: identity must come from the table
    private final KnownPaths known = new KnownPaths(List.of(plaintext, "/json", "/jsan", "/", "/a b", "/caf\u00e9",
            "/" + "x".repeat(200)));

    private String find(String line, String target) {
        byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
        return known.find(bytes, line.indexOf(target), target.length());
    }

    @Test
    void aKnownTargetIsTheRoutesOwnStringWhereverItIsInTheLine() {
        assertThat(find("GET /plaintext HTTP/1.1", "/plaintext")).isSameAs(plaintext);
        assertThat(find("GET /json HTTP/1.1", "/json")).isEqualTo("/json");
        assertThat(find("GET /jsan HTTP/1.1", "/jsan")).isEqualTo("/jsan"); // same length as /json
        assertThat(find("OPTIONS / HTTP/1.1", "/")).isEqualTo("/");
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(find("GET /plaintexT HTTP/1.1", "/plaintexT")).isNull();
        assertThat(find("GET /plaintext?x=1 HTTP/1.1", "/plaintext?x=1")).isNull();
        assertThat(find("GET /plaintext/ HTTP/1.1", "/plaintext/")).isNull();
        assertThat(find("GET /jso HTTP/1.1", "/jso")).isNull();
        assertThat(find("GET " + "/" + "x".repeat(200) + " HTTP/1.1", "/" + "x".repeat(200))).isNull(); // too long to keep
        assertThat(find("GET /caf\u00e9 HTTP/1.1", "/caf\u00e9")).isNull(); // not a valid target: never kept
        assertThat(KnownPaths.NONE.find("/json".getBytes(StandardCharsets.US_ASCII), 0, 5)).isNull();
    }

    @Test
    void theDecoderHandsOnTheKnownStringAndAFreshOneOtherwise() {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(new HttpDecoderConfig(), known));
        channel.writeInbound(Unpooled.copiedBuffer("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /plaintext?q=1 HTTP/1.1\r\nHost: t\r\n\r\n", StandardCharsets.US_ASCII));
        List<String> targets = new ArrayList<>();
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            if (msg instanceof HttpRequest request) {
                assertThat(request.decoderResult().isSuccess()).isTrue();
                targets.add(request.uri());
            }
            ReferenceCountUtil.release(msg);
        }
        channel.finishAndReleaseAll();
        assertThat(targets).containsExactly("/plaintext", "/plaintext?q=1");
        assertThat(targets.getFirst()).isSameAs(plaintext);
    }
}
