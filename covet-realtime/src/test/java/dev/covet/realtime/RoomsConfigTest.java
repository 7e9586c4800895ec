package dev.covet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How Rooms are configured, and what a wrong configuration says. */
class RoomsConfigTest {

    @Test
    void withoutARedisUrlRoomsStayOnThisInstance() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("COVET_REALTIME_REDIS_URL") == null,
                "COVET_REALTIME_REDIS_URL is set in this environment");
        try (Rooms rooms = Rooms.create()) {
            assertThat(rooms.distributed()).isFalse();
            assertThat(rooms.isEmpty()).isTrue();
        }
    }

    @Test
    void anUnreachableRedisFailsAtOnceNamingItsUrl() {
        assertThatThrownBy(() -> Rooms.redis("redis://127.0.0.1:1", "covet-test"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis://127.0.0.1:1");
    }

    @Test
    void namesMustBeNonEmptyAndOnOneLine() {
        try (Rooms rooms = Rooms.local()) {
            assertThatThrownBy(() -> rooms.broadcast("", "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> rooms.sendToUser("a\nb", "x")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
