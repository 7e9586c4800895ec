package dev.covet.bench;

/**
 * A figure summarised over the repeats of a run: the median, and a 95% confidence interval
 * whose method is named (see {@link Statistics}). Interval fields are {@code null} when the
 * samples cannot support one (a single sample).
 *
 * @param n        number of samples
 * @param median   the headline figure
 * @param mean     arithmetic mean
 * @param min      smallest sample
 * @param max      largest sample
 * @param ciLow    lower bound of the interval, or null
 * @param ciHigh   upper bound of the interval, or null
 * @param coverage the interval's actual confidence level (order statistics give discrete levels), or null
 * @param method   how the interval was computed, in words
 */
public record Estimate(
        int n,
        double median,
        double mean,
        double min,
        double max,
        Double ciLow,
        Double ciHigh,
        Double coverage,
        String method) {
}
