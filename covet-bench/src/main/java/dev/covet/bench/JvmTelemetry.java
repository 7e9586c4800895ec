package dev.covet.bench;

import com.sun.tools.attach.VirtualMachine;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads a target JVM's allocation and GC counters from outside: the Attach API starts the
 * target's local JMX agent ({@code VirtualMachine.attach(pid).startLocalManagementAgent()}), then
 * the harness reads {@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes} and the
 * {@link GarbageCollectorMXBean}s over JMX. If any of that fails, the figures are unavailable
 * and {@link #unavailableReason()} says why; they are never reported as zero.
 */
final class JvmTelemetry implements AutoCloseable {
    /**
     * Longest wait for one JMX call. A target in GC thrash (javalin with 19,459 connections filled its
     * 512 MB heap and spent its time in full collections) never answers, and without a bound the
     * harness waited forever at the end of the window. The RMI transport reads this property once,
     * when its classes load, which is after this class loads and before the first attach.
     */
    static final String RMI_RESPONSE_TIMEOUT_MS = "30000";

    static {
        if (System.getProperty("sun.rmi.transport.tcp.responseTimeout") == null) {
            System.setProperty("sun.rmi.transport.tcp.responseTimeout", RMI_RESPONSE_TIMEOUT_MS);
        }
    }

    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;
    private final String unavailable;

    /** Counters at one instant. */
    record Sample(long allocatedBytes, long gcCount, long gcTimeMs, Map<String, long[]> byCollector) {
    }

    private JvmTelemetry(JMXConnector connector, MBeanServerConnection mbeans, String unavailable) {
        this.connector = connector;
        this.mbeans = mbeans;
        this.unavailable = unavailable;
    }

    static JvmTelemetry unavailable(String reason) {
        return new JvmTelemetry(null, null, reason);
    }

    /** Attaches to {@code pid}; gives up after {@code timeoutSeconds} with the reason recorded. */
    static JvmTelemetry attach(long pid, int timeoutSeconds) {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("covet-bench-attach").unstarted(r));
        try {
            Future<JvmTelemetry> f = ex.submit(() -> {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
                String url;
                try {
                    url = vm.startLocalManagementAgent();
                } finally {
                    vm.detach();
                }
                JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url));
                return new JvmTelemetry(c, c.getMBeanServerConnection(), null);
            });
            return f.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return unavailable("attach to pid " + pid + " did not complete within " + timeoutSeconds + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            return unavailable("attach to pid " + pid + " failed: " + describe(c));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while attaching");
        } catch (RuntimeException | LinkageError e) {
            return unavailable("attach to pid " + pid + " failed: " + describe(e));
        } finally {
            ex.shutdownNow();
        }
    }

    /** An exception and its causes on one line: "A: msg <- B: msg". */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            String m = c.getMessage();
            if (m != null) {
                int nested = m.indexOf("; nested exception is:");
                m = (nested >= 0 ? m.substring(0, nested) : m).replaceAll("\\s+", " ").trim();
            }
            sb.append(sb.isEmpty() ? "" : " <- ").append(c.getClass().getName()).append(m == null || m.isEmpty() ? "" : ": " + m);
        }
        if (sb.indexOf("filter status: REJECTED") >= 0) {
            sb.append(" (the target JVM has a process-wide deserialization filter, JEP 290, that rejects JMX over RMI;"
                    + " Helidon 4 installs one by default)");
        }
        return sb.toString();
    }

    boolean available() {
        return unavailable == null;
    }

    /** Why the figures are unavailable, or null. */
    String unavailableReason() {
        return unavailable;
    }

    /** Reads the counters now. */
    Sample sample() throws Exception {
        com.sun.management.ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(
                mbeans, ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);
        long allocated = threads.getTotalThreadAllocatedBytes();
        if (allocated < 0) {
            throw new IllegalStateException("the target reports thread allocation accounting as disabled");
        }
        long count = 0;
        long time = 0;
        Map<String, long[]> by = new LinkedHashMap<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getPlatformMXBeans(mbeans, GarbageCollectorMXBean.class)) {
            long c = Math.max(0, gc.getCollectionCount());
            long t = Math.max(0, gc.getCollectionTime());
            by.put(gc.getName(), new long[] {c, t});
            count += c;
            time += t;
        }
        return new Sample(allocated, count, time, by);
    }

    /**
     * Heap in use after a full collection ({@code MemoryMXBean.gc()}, i.e. {@code System.gc()} in
     * the target): what the live objects take, without the garbage that happens to be around.
     */
    long heapUsedAfterGc() throws Exception {
        java.lang.management.MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.MEMORY_MXBEAN_NAME,
                java.lang.management.MemoryMXBean.class);
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The target's VM name, version, flags and collectors. */
    JvmInfo info() throws Exception {
        RuntimeMXBean rt = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.RUNTIME_MXBEAN_NAME, RuntimeMXBean.class);
        List<String> collectors = ManagementFactory.getPlatformMXBeans(mbeans, GarbageCollectorMXBean.class).stream()
                .map(GarbageCollectorMXBean::getName).toList();
        return new JvmInfo(rt.getVmName(), rt.getVmVersion(), List.copyOf(rt.getInputArguments()), collectors);
    }

    @Override
    public void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (Exception ignored) {
                // The target may be gone already; nothing was measured through this call.
            }
        }
    }
}
