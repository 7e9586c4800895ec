package dev.covet.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The data of TechEmpower's database tests, as the FrameworkBenchmarks project defines it: a World
 * table whose {@code randomNumber} lies in 1..10,000, and a Fortune table of 12 rows to which every
 * {@code /fortunes} request adds one more before sorting by message.
 *
 * <p>The harness seeds these tables itself ({@link BenchDatabase}) and checks bodies against them
 * ({@link TechEmpowerBodies}); it shares none of this with the targets, so a target that reads the
 * wrong table or sorts the wrong way is caught.
 */
final class TechEmpowerData {
    /** TechEmpower's range of World ids and of {@code randomNumber}: 1..10,000. */
    static final int STANDARD_WORLD_ROWS = 10_000;
    /** {@code randomNumber} lies in 1..this, whatever the size of the table. */
    static final int RANDOM_NUMBER_MAX = 10_000;
    /** The {@code queries} parameter is clamped to 1..this. */
    static final int MAX_QUERIES = 500;
    /** The fortune a {@code /fortunes} request adds before sorting (id 0). */
    static final String ADDED_FORTUNE = "Additional fortune added at request time.";

    /** One Fortune row. */
    record Fortune(int id, String message) {
    }

    /** The 12 rows of TechEmpower's Fortune table. */
    static final List<Fortune> FORTUNES = List.of(
            new Fortune(1, "fortune: No such file or directory"),
            new Fortune(2, "A computer scientist is someone who fixes things that aren't broken."),
            new Fortune(3, "After enough decimal points, nobody gives a damn."),
            new Fortune(4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
            new Fortune(5, "A computer program does what you tell it to do, not what you want it to do."),
            new Fortune(6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"),
            new Fortune(7, "Any program that runs right is obsolete."),
            new Fortune(8, "A list is only as strong as its weakest link. — Donald Knuth"),
            new Fortune(9, "Feature: A bug with seniority."),
            new Fortune(10, "Computers make very fast, very accurate mistakes."),
            new Fortune(11, "<script>alert(\"This should not be displayed in a browser alert box.\");</script>"),
            new Fortune(12, "フレームワークのベンチマーク"));

    private TechEmpowerData() {
    }

    /** The rows a {@code /fortunes} page lists: the table plus the added one, sorted by message. */
    static List<Fortune> fortunesPage() {
        List<Fortune> all = new ArrayList<>(FORTUNES);
        all.add(new Fortune(0, ADDED_FORTUNE));
        all.sort(Comparator.comparing(Fortune::message));
        return all;
    }

    /** The benchmark's rule for {@code queries}: missing or not a number is 1; clamped to 1..500. */
    static int clampQueries(String value) {
        try {
            return Math.clamp(Integer.parseInt(value.trim()), 1, MAX_QUERIES);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
