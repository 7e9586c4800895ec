package dev.covet.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram, in microseconds. Fields are {@code null} when the
 * histogram is empty (never NaN, never a made-up zero).
 *
 * @param count     values recorded (successes and failures alike)
 * @param minUs     smallest
 * @param meanUs    arithmetic mean
 * @param p50Us     median
 * @param p90Us     90th percentile
 * @param p99Us     99th percentile
 * @param p999Us    99.9th percentile
 * @param maxUs     largest
 * @param curve     the percentile curve drawn in report.html
 * @param histogram the whole histogram, HdrHistogram's compressed encoding in Base64, for re-analysis
 */
public record LatencySummary(
        long count,
        Long minUs,
        Double meanUs,
        Long p50Us,
        Long p90Us,
        Long p99Us,
        Long p999Us,
        Long maxUs,
        List<Point> curve,
        String histogram) {

    /** Percentiles on the curve: dense towards the tail, as latency plots should be. */
    static final double[] CURVE = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100};

    /** One point of the percentile curve. */
    public record Point(double percentile, long us) {
    }

    /** Summarises {@code h}. */
    public static LatencySummary of(Histogram h) {
        String encoded = encode(h);
        if (h.getTotalCount() == 0) {
            return new LatencySummary(0, null, null, null, null, null, null, null, List.of(), encoded);
        }
        List<Point> curve = new ArrayList<>();
        for (double p : CURVE) {
            curve.add(new Point(p, p == 0 ? h.getMinValue() : p == 100 ? h.getMaxValue() : h.getValueAtPercentile(p)));
        }
        return new LatencySummary(h.getTotalCount(), h.getMinValue(), h.getMean(),
                h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue(), List.copyOf(curve), encoded);
    }

    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Reads back a histogram written by {@link #of}. */
    public static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram", e);
        }
    }
}
