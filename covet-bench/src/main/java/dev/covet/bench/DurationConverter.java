package dev.covet.bench;

import java.time.Duration;
import picocli.CommandLine;

/** Reads durations written as {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, a plain number of seconds, or ISO-8601 ({@code PT10S}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** Parses {@code value}; throws {@link IllegalArgumentException} with an example if it cannot. */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 2)) * 1e6));
            }
            if (v.endsWith("s")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1e9));
            }
            if (v.endsWith("m")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60e9));
            }
            return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e9));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: '" + value + "' (examples: 500ms, 10s, 1.5s, 2m)");
        }
    }
}
