package dev.covet.internal;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's buffer leak detector, set once at start (ADR 0009): off in production, Netty's default
 * (sampling one buffer in 128) in dev mode, and whatever the user asked for if they set Netty's own
 * property. Covet's test suite runs it in paranoid mode and fails on any leak.
 *
 * <p>Why off: even sampling, the detector is consulted on every buffer allocation and release, and a
 * sampled buffer records a stack trace: 6-7% of the server's CPU in a profile of pipelined /plaintext
 * (raw Netty 6.0%, Covet 6.9%).
 * Vert.x and Micronaut turn it off by default for the same reason. The setting is JVM-wide, as Netty's
 * is: it applies to every Netty user in the process.
 */
public final class LeakDetection {
    /** Netty's property, and the older name it still reads. */
    static final String PROPERTY = "io.netty.leakDetection.level";
    static final String LEGACY_PROPERTY = "io.netty.leakDetectionLevel";

    private LeakDetection() { }

    /** Applies the policy; returns the level now in force, in words for the start-up line and {@code covet doctor}. */
    public static String apply(boolean devMode) {
        ResourceLeakDetector.Level level = choose(System.getProperty(PROPERTY), System.getProperty(LEGACY_PROPERTY), devMode);
        if (level != null) {
            ResourceLeakDetector.setLevel(level);
        }
        return describe(ResourceLeakDetector.getLevel(), level == null);
    }

    /** What {@link #apply} would leave in force, without changing anything (for {@code covet doctor}). */
    public static String planned(boolean devMode) {
        ResourceLeakDetector.Level level = choose(System.getProperty(PROPERTY), System.getProperty(LEGACY_PROPERTY), devMode);
        return describe(level != null ? level : ResourceLeakDetector.getLevel(), level == null);
    }

    /** The level to set, or null to leave Netty's as it is (the user chose one, or dev mode keeps Netty's default). */
    static ResourceLeakDetector.Level choose(String property, String legacyProperty, boolean devMode) {
        if (property != null || legacyProperty != null || devMode) {
            return null;
        }
        return ResourceLeakDetector.Level.DISABLED;
    }

    static String describe(ResourceLeakDetector.Level level, boolean leftAsIs) {
        String name = level.name().toLowerCase(java.util.Locale.ROOT);
        if (level == ResourceLeakDetector.Level.DISABLED) {
            return leftAsIs ? "off" : "off (production default; -D" + PROPERTY + "=simple turns it on)";
        }
        return name;
    }
}
