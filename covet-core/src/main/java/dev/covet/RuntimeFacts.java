package dev.covet;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.covet.internal.TransportChoice;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What this process runs on, as {@code covet doctor} reports it: JVM, GC, transport and native
 * libraries (loaded, or why not), CPUs and the open-file limit. Nothing here is assumed: each fact is
 * read from the running JVM.
 */
public final class RuntimeFacts {

    /** How a fact bears on running Covet well. */
    public enum Status { OK, WARN, FAIL }

    /** One fact, e.g. {@code transport = epoll}. */
    public record Fact(String name, String value, Status status) { }

    private RuntimeFacts() { }

    /** Collects the facts, reading the configuration ({@code covet.properties}, {@code COVET_*}) as start() would. */
    public static List<Fact> collect() {
        List<Fact> facts = new ArrayList<>();
        Runtime.Version version = Runtime.version();
        facts.add(new Fact("java", version + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")", version.feature() >= 25 ? Status.OK : Status.FAIL));
        facts.add(new Fact("gc (this JVM)", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")), Status.OK));
        facts.add(new Fact("max heap (this JVM)", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB", Status.OK));
        int cpus = Runtime.getRuntime().availableProcessors();
        facts.add(new Fact("cpus", String.valueOf(cpus), Status.OK));
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        facts.add(new Fact("os", os.getName() + " " + os.getVersion() + " " + os.getArch(), Status.OK));
        if (os instanceof UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            facts.add(new Fact("open-file limit", limit + " (in use: " + unix.getOpenFileDescriptorCount() + ")",
                    limit >= 65_536 ? Status.OK : Status.WARN));
        }
        facts.add(new Fact("native epoll", Epoll.isAvailable() ? "loaded"
                : "NOT LOADED: " + Epoll.unavailabilityCause(), Epoll.isAvailable() ? Status.OK : Status.WARN));
        facts.add(new Fact("native io_uring", IoUring.isAvailable() ? "loaded"
                : "not loaded: " + IoUring.unavailabilityCause(), Status.OK));
        facts.add(new Fact("netty sun.misc.Unsafe", nettyUnsafe(), Status.OK));
        CovetConfig config = new CovetConfig();
        try {
            ConfigKeys.applyExternal(config, System.getenv(), Thread.currentThread().getContextClassLoader());
            facts.add(new Fact("configuration", "valid (host " + config.host() + ", port " + config.port()
                    + ", transport " + config.transport().name().toLowerCase() + ")", Status.OK));
        } catch (IllegalArgumentException e) {
            facts.add(new Fact("configuration", "INVALID: " + e.getMessage(), Status.FAIL));
            return facts;
        }
        try {
            TransportChoice transport = TransportChoice.select(config.transport());
            facts.add(new Fact("transport", transport.name() + transport.warning().map(w -> " (" + w + ")").orElse(""),
                    transport.warning().isPresent() ? Status.WARN : Status.OK));
        } catch (IllegalStateException e) {
            facts.add(new Fact("transport", "CANNOT START: " + e.getMessage(), Status.FAIL));
        }
        facts.add(new Fact("netty leak detection", dev.covet.internal.LeakDetection.planned(config.devMode())
                + (config.devMode() ? " (dev mode)" : ""), Status.OK));
        facts.add(new Fact("virtual threads", "handlers run on virtual threads (scheduler parallelism "
                + Integer.getInteger("jdk.virtualThreadScheduler.parallelism", cpus) + ")", Status.OK));
        return facts;
    }

    /**
     * Whether Netty writes buffers through {@code sun.misc.Unsafe}: Netty 4.2 leaves it off on JDK 24+, so every
     * small write into a direct buffer is a checked {@code ByteBuffer} access (which is why Covet's hot paths,
     * such as {@code ResponseEncoder}, write arrays in bulk). Printed at start-up too.
     */
    public static String nettyUnsafe() {
        if (PlatformDependent.hasUnsafe()) {
            return "in use";
        }
        Throwable cause = PlatformDependent.getUnsafeUnavailabilityCause();
        return "off" + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
    }

    /** The facts as {@code name: value} pairs, for a metrics endpoint or a log line. */
    public static Map<String, String> asMap(List<Fact> facts) {
        return facts.stream().collect(Collectors.toMap(Fact::name, Fact::value, (a, b) -> b, java.util.LinkedHashMap::new));
    }
}
