package dev.covet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes Netty's leak reports fail tests.
 *
 * <p>How: Netty creates the detector for {@code ByteBuf} once, when {@code AbstractByteBuf} is
 * initialised, through {@link ResourceLeakDetectorFactory#instance()}. {@link Installer} is a JUnit
 * {@link LauncherSessionListener} (registered in {@code META-INF/services}) that replaces that factory
 * before any test class, and so before any Netty buffer class, is loaded. Its detectors record every
 * report in a list (and still log it, with the access records that show where the buffer was
 * touched), and ask for reports even if logging were off. This avoids scraping log output, whose
 * format and routing change with the logging backend.
 *
 * <p>A leak is only reported once the leaked buffer has been garbage-collected and a later buffer is
 * allocated, so {@link #assertNoLeaks()} collects garbage and allocates before it looks. The level is
 * set to {@code PARANOID} (every buffer tracked) by the surefire {@code argLine} and again here, so an
 * IDE run without that flag is just as strict. If the factory could not be installed in time the check
 * fails rather than passing silently.
 */
final class NettyLeaks {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean byteBufDetectorIsOurs;

    private NettyLeaks() { }

    /** Installs the recording factory; must run before Netty's buffer classes are initialised. Idempotent. */
    static synchronized void install() {
        if (!(ResourceLeakDetectorFactory.instance() instanceof RecordingFactory)) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    /**
     * Fails if Netty reported a leaked buffer since the last call (and forgets the reports).
     *
     * @throws AssertionError naming each leak with Netty's access records, or saying detection is off
     */
    static void assertNoLeaks() {
        List<String> leaks = collect();
        if (!byteBufDetectorIsOurs) {
            throw new AssertionError("Netty leak detection is not active: io.netty.buffer.AbstractByteBuf was "
                    + "initialised before NettyLeaks.install() (is META-INF/services/"
                    + "org.junit.platform.launcher.LauncherSessionListener on the test classpath?)");
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported by Netty:\n" + String.join("\n\n", leaks));
        }
    }

    /** Collects garbage, lets the detector run, and returns (and forgets) what it reported. */
    static List<String> collect() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // Each tracked allocation polls the detector's reference queue, which is what reports a leak.
            for (ByteBufAllocator allocator : List.of(ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT,
                    UnpooledByteBufAllocator.DEFAULT)) {
                for (int i = 0; i < 4; i++) {
                    ByteBuf probe = allocator.buffer(8);
                    probe.release();
                    ByteBuf direct = allocator.directBuffer(8);
                    direct.release();
                }
            }
        }
        List<String> leaks = new ArrayList<>(LEAKS);
        LEAKS.removeAll(leaks);
        return leaks;
    }

    /** Installs {@link RecordingFactory} when the JUnit launcher session opens. */
    public static final class Installer implements LauncherSessionListener {
        @Override
        public void launcherSessionOpened(LauncherSession session) {
            install();
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                    long maxActive) {
            if (resource == ByteBuf.class) {
                byteBufDetectorIsOurs = true;
            }
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        @SuppressWarnings("deprecation")
        RecordingDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval, Long.MAX_VALUE);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected "
                    + "(no access records: the leak detection level was below ADVANCED)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
