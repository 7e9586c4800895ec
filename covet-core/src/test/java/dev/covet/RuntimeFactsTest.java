package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;

/** What {@code covet doctor} prints about Netty's use of {@code sun.misc.Unsafe}. */
class RuntimeFactsTest {

    @Test
    void saysWhetherNettyUsesUnsafeAndIfNotWhy() {
        String value = RuntimeFacts.asMap(RuntimeFacts.collect()).get("netty sun.misc.Unsafe");
        if (PlatformDependent.hasUnsafe()) {
            assertThat(value).isEqualTo("in use");
        } else {
            // on JDK 25 Netty 4.2 turns it off by default and says so in its cause
            assertThat(value).startsWith("off (").contains(PlatformDependent.getUnsafeUnavailabilityCause().getMessage());
        }
    }
}
