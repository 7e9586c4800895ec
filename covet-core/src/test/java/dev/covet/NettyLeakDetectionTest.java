package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak check every {@link TestServer} runs is real: a buffer that is never released fails it. */
class NettyLeakDetectionTest {

    @Test
    void leakDetectionIsParanoidInTests() {
        NettyLeaks.install();
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void aBufferThatIsNeverReleasedFailsTheCheck() {
        NettyLeaks.install();
        NettyLeaks.assertNoLeaks(); // start clean
        leakOneBuffer();
        assertThatThrownBy(NettyLeaks::assertNoLeaks)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ByteBuf leak")
                .hasMessageContaining("leakOneBuffer"); // the access record points at the culprit
        NettyLeaks.assertNoLeaks(); // reports are consumed by the check that saw them
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(16);
        leaked.writeInt(42);
        leaked.touch("leakOneBuffer");
    }
}
