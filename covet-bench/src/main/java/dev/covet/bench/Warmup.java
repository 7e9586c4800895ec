package dev.covet.bench;

/**
 * Everything before the measured window, reported separately and never folded into it.
 *
 * @param readiness            start-up: time to first response, probe attempts, probe errors
 * @param firstRequestLatencyUs latency of the first request of the load generator's warm-up
 * @param phase                the warm-up phase as the load generator measured it, or null if there was none
 * @param errors               whether anything failed during start-up or warm-up
 */
public record Warmup(Readiness readiness, Long firstRequestLatencyUs, PhaseResult phase, boolean errors) {
}
