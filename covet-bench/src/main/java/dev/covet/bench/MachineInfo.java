package dev.covet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine and the harness JVM a result was measured on.
 *
 * @param cpuModel        "model name" of /proc/cpuinfo
 * @param logicalCpus     processors listed in /proc/cpuinfo
 * @param onlineCpus      /sys/devices/system/cpu/online
 * @param hypervisor      whether the CPU flags say this is a virtual machine
 * @param kernel          /proc/sys/kernel/osrelease
 * @param os              os.name and os.arch
 * @param memTotalMb      MemTotal of /proc/meminfo
 * @param clockTicks      getconf CLK_TCK, the unit of /proc CPU times
 * @param harnessJava     the harness JVM's runtime version
 * @param harnessVm       the harness JVM's VM name
 * @param harnessJvmArgs  the harness JVM's flags
 */
public record MachineInfo(
        String cpuModel,
        int logicalCpus,
        String onlineCpus,
        boolean hypervisor,
        String kernel,
        String os,
        Long memTotalMb,
        long clockTicks,
        String harnessJava,
        String harnessVm,
        List<String> harnessJvmArgs) {

    /** Reads everything now. */
    public static MachineInfo detect() {
        String model = "unknown";
        int cpus = 0;
        boolean hyper = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals("unknown")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("processor")) {
                    cpus++;
                } else if (line.startsWith("flags") && line.contains(" hypervisor")) {
                    hyper = true;
                }
            }
        } catch (IOException e) {
            model = "unknown (" + e.getMessage() + ")";
        }
        Long mem = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    mem = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            mem = null;
        }
        return new MachineInfo(model, cpus, read("/sys/devices/system/cpu/online"), hyper,
                read("/proc/sys/kernel/osrelease"), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                mem, LinuxProc.clockTicksPerSecond(), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"), ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
