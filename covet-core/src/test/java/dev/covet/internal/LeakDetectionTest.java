package dev.covet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector.Level;
import org.junit.jupiter.api.Test;

/** The leak-detector policy: off in production unless the user chose a level; Netty's default in dev mode. */
class LeakDetectionTest {

    @Test
    void productionTurnsItOff() {
        assertThat(LeakDetection.choose(null, null, false)).isEqualTo(Level.DISABLED);
    }

    @Test
    void devModeKeepsNettysSampling() {
        assertThat(LeakDetection.choose(null, null, true)).isNull();
    }

    @Test
    void aLevelTheUserSetWinsUnderEitherName() {
        assertThat(LeakDetection.choose("paranoid", null, false)).isNull();
        assertThat(LeakDetection.choose(null, "advanced", false)).isNull();
    }

    @Test
    void theDescriptionSaysHowToTurnItBackOn() {
        assertThat(LeakDetection.describe(Level.DISABLED, false)).contains("-Dio.netty.leakDetection.level=simple");
        assertThat(LeakDetection.describe(Level.SIMPLE, true)).isEqualTo("simple");
    }
}
