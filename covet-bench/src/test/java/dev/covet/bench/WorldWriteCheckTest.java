package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The updates scenario's write check: answers without writes are caught, real writes pass. */
class WorldWriteCheckTest {
    private final WorldWriteCheck check = new WorldWriteCheck(null, 20);

    @Test
    void answersThatWroteNothingAreAProblem() {
        int[] before = new int[10_000];
        assertThat(check.problem(before, before.clone(), 500)).contains("updates not written").contains("only 0 changed");
    }

    @Test
    void realWritesPassAndNoAnswersExpectNothing() {
        Random random = new Random(7);
        int[] before = new int[10_000];
        for (int i = 0; i < before.length; i++) {
            before[i] = 1 + random.nextInt(10_000);
        }
        int[] after = before.clone();
        int answers = 300;
        for (int i = 0; i < answers * 20; i++) {
            after[random.nextInt(after.length)] = 1 + random.nextInt(10_000);
        }
        assertThat(check.problem(before, after, answers)).isNull();
        assertThat(check.summary(before, after, answers)).startsWith("World rows changed by the run: ");
        assertThat(check.problem(before, before.clone(), 0)).isNull();
    }

    @Test
    void aTargetThatWritesOneRowPerRequestInsteadOfTwentyIsCaught() {
        Random random = new Random(11);
        int[] before = new int[10_000];
        int[] after = before.clone();
        int answers = 300;
        for (int i = 0; i < answers; i++) {
            after[random.nextInt(after.length)] = 1 + random.nextInt(10_000);
        }
        assertThat(check.problem(before, after, answers)).contains("updates not written");
    }
}
