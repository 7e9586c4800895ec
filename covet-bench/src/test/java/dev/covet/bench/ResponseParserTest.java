package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseParserTest {

    /** Records what the parser reports, as "status", "body:...", "end", "malformed:...". */
    static final class Events implements ResponseParser.Listener {
        final List<String> events = new ArrayList<>();
        private StringBuilder body;

        @Override
        public void onStatus(int status) {
            events.add("status " + status);
            body = new StringBuilder();
        }

        @Override
        public void onBody(ByteBuf chunk) {
            body.append(chunk.toString(StandardCharsets.US_ASCII));
        }

        @Override
        public void onEnd() {
            events.add("body " + body);
            events.add("end");
        }

        @Override
        public void onMalformed(String why) {
            events.add("malformed " + why);
        }
    }

    static List<String> parse(String wire, int pieceSize) {
        Events ev = new Events();
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseParser(ev));
        byte[] bytes = wire.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i += pieceSize) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(pieceSize, bytes.length - i)));
        }
        ch.finish();
        return ev.events;
    }

    private static final String PIPELINED = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-length: 13\r\n\r\nHello, World!"
            + "HTTP/1.1 500 Internal Server Error\r\nCONTENT-LENGTH:  5 \r\n\r\nfault"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n5;ext=1\r\nHello\r\n8\r\n, World!\r\n0\r\nX-Trailer: t\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n"
            + "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";

    private static final List<String> EXPECTED = List.of(
            "status 200", "body Hello, World!", "end",
            "status 500", "body fault", "end",
            "status 200", "body Hello, World!", "end",
            "status 204", "body ", "end",
            "status 100", "body ", "end",
            "status 200", "body ", "end");

    @Test
    void pipelinedResponsesInOneBuffer() {
        assertThat(parse(PIPELINED, Integer.MAX_VALUE)).isEqualTo(EXPECTED);
    }

    @Test
    void sameResponsesFedOneByteAtATime() {
        assertThat(parse(PIPELINED, 1)).isEqualTo(EXPECTED);
    }

    @Test
    void sameResponsesInOddPieces() {
        for (int piece : new int[] {2, 3, 7, 13, 64}) {
            assertThat(parse(PIPELINED, piece)).as("pieces of " + piece).isEqualTo(EXPECTED);
        }
    }

    @Test
    void bareLineFeedsAreAccepted() {
        assertThat(parse("HTTP/1.1 200 OK\nContent-Length: 2\n\nhi", 1)).containsExactly("status 200", "body hi", "end");
    }

    @Test
    void bodyWithoutLengthRunsUntilClose() {
        assertThat(parse("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", 4))
                .containsExactly("status 200", "body until the end", "end");
    }

    @Test
    void garbageIsReportedOnceAndTheRestIgnored() {
        assertThat(parse("SMTP ready\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", 5))
                .containsExactly("malformed not an HTTP/1.x status line");
        assertThat(parse("HTTP/1.1 2x0 OK\r\n\r\n", 100)).containsExactly("malformed status code is not three digits");
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", 100)).containsExactly("malformed Content-Length is not a number");
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nhi", 100))
                .containsExactly("malformed conflicting Content-Length headers");
        assertThat(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100)).containsExactly("status 200", "malformed bad chunk size");
        assertThat(parse("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", 100)).containsExactly("malformed header line without a name and a colon");
    }

    @Test
    void overlongLineIsRefused() {
        assertThat(parse("HTTP/1.1 200 OK\r\nX: " + "a".repeat(9000), 1000)).containsExactly("malformed line longer than 8192 bytes");
    }
}
