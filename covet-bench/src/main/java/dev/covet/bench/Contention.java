package dev.covet.bench;

/**
 * How busy the pinned CPUs were during the measured window, and with what: on a shared machine
 * other processes can take the cores the target and the load generator were pinned to, and the
 * figures of that run are then disturbed. Read from the per-CPU lines of {@code /proc/stat};
 * fields are null when the CPUs were not pinned.
 *
 * @param serverCpusBusy       busy fraction of the server CPUs (1.0 = all of them, all the time)
 * @param serverCpusByOthers   part of that not used by the target process
 * @param clientCpusBusy       busy fraction of the client CPUs
 * @param clientCpusByOthers   part of that not used by the harness process nor by the database's pinned backends
 * @param clientCpusByDatabase part used by the PostgreSQL backends pinned there ({@link DatabasePinning}), null if none
 * @param steal                fraction of the pinned CPUs' time the hypervisor gave to other guests
 * @param loadAverageStart     1-minute load average at the window start (/proc/loadavg)
 * @param loadAverageEnd       1-minute load average at the window end
 */
public record Contention(
        Double serverCpusBusy,
        Double serverCpusByOthers,
        Double clientCpusBusy,
        Double clientCpusByOthers,
        Double clientCpusByDatabase,
        Double steal,
        Double loadAverageStart,
        Double loadAverageEnd) {

    /** Above this share of a pinned CPU used by other processes, a run is marked as disturbed. */
    public static final double DISTURBED = 0.10;
}
