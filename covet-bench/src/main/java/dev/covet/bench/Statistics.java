package dev.covet.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Median and 95% confidence interval of a few repeated measurements.
 *
 * <p>The point estimate is always the median: it ignores a single disturbed run. The interval:
 * <ul>
 *   <li>n &ge; 6: the distribution-free interval for the median from order statistics,
 *       {@code [x(k), x(n+1-k)]} with the largest k whose binomial coverage
 *       {@code 1 - 2 P(Bin(n, 1/2) < k)} is still at least 95%. It assumes nothing about the
 *       shape of the distribution. Its exact coverage is reported (e.g. 96.9% for n = 6).</li>
 *   <li>2 &le; n &le; 5: order statistics cannot reach 95% (with n = 5 even [min, max] only
 *       covers 93.75%), so the interval is Student's t on the mean,
 *       {@code mean ± t(0.975, n-1) · s / √n}, which assumes roughly normal run-to-run noise.
 *       With the default 3 repeats, t = 4.303 and the half-width is 2.48 standard deviations:
 *       wide, honestly so. A lower bound below 0 is clamped at 0 (no figure here can be
 *       negative), and the method says so.</li>
 *   <li>n = 1: no interval.</li>
 * </ul>
 */
public final class Statistics {
    private static final double[] T_975 = {
        Double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    private Statistics() {
    }

    /** Summarises {@code samples}; returns null for no samples. NaN or infinite samples are refused. */
    public static Estimate estimate(Collection<Double> samples) {
        if (samples.isEmpty()) {
            return null;
        }
        double[] x = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        for (double v : x) {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("not a finite sample: " + v);
            }
        }
        int n = x.length;
        double median = median(x);
        double mean = Arrays.stream(x).sum() / n;
        if (n == 1) {
            return new Estimate(1, median, mean, x[0], x[0], null, null, null, "none: one sample");
        }
        if (n >= 6) {
            int k = orderStatisticRank(n);
            double coverage = 1 - 2 * binomialCdf(k - 1, n);
            return new Estimate(n, median, mean, x[0], x[n - 1], x[k - 1], x[n - k], coverage,
                    "order statistics for the median (x(" + k + "), x(" + (n + 1 - k) + ")), distribution-free");
        }
        double sd = Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (n - 1));
        double half = tQuantile975(n - 1) * sd / Math.sqrt(n);
        double low = mean - half;
        String method = "Student t on the mean, t(0.975, " + (n - 1) + ") = " + tQuantile975(n - 1) + ", normality assumed";
        if (x[0] >= 0 && low < 0) {
            // Every figure here is a count, a rate or a time: never negative. Say so rather than print "-486 req/s".
            low = 0;
            method += "; lower bound clamped at 0";
        }
        return new Estimate(n, median, mean, x[0], x[n - 1], low, mean + half, 0.95, method);
    }

    /** The median of sorted values. */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Largest k (1-based) with 1 - 2 P(Bin(n, 1/2) &le; k-1) &ge; 0.95; needs n &ge; 6. */
    static int orderStatisticRank(int n) {
        int k = 1;
        while (k + 1 <= n / 2 && 1 - 2 * binomialCdf(k, n) >= 0.95) {
            k++;
        }
        return k;
    }

    /** P(Bin(n, 1/2) &le; k). */
    static double binomialCdf(int k, int n) {
        double sum = 0;
        double c = 1;
        for (int i = 0; i <= k; i++) {
            if (i > 0) {
                c = c * (n - i + 1) / i;
            }
            sum += c;
        }
        return sum / Math.pow(2, n);
    }

    /** The 97.5% quantile of Student's t with {@code df} degrees of freedom. */
    static double tQuantile975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("df must be at least 1");
        }
        if (df < T_975.length) {
            return T_975[df];
        }
        // Cornish-Fisher expansion around the normal quantile; error below 1e-4 for df > 30.
        double z = 1.959964;
        return z + (z * z * z + z) / (4.0 * df) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96.0 * df * df);
    }
}
