package dev.covet.bench;

import java.util.List;

/**
 * What the {@code login-isolation} scenario measured beyond its logins (which are the run's {@code measure}, and
 * whose server CPU is the run's {@code server}): the probe alone and under the flood, and the failed-login mix.
 *
 * @param settings              the scenario's sizes and rates
 * @param loginLimit            the login attempts per 15 minutes the target was asked to allow (per IP and per account)
 * @param probeAlone            {@code GET /json} at the fixed rate, with no login in flight (the baseline window)
 * @param probeAloneServerCpu   the target's CPU use in the baseline window (1.0 = one core busy), or null
 * @param probeUnderLogins      the same probe, in the same window as the flood
 * @param wrongPassword         the wrong-password attempts in that window (expected 401), or null when none were made
 * @param unknownAccount        the unknown-account attempts in that window (expected 401), or null when none were made
 * @param probeP50Ratio         the probe's median under the flood / alone (1× = perfect isolation), or null
 * @param probeP99Ratio         the same at the 99th percentile
 * @param probeP999Ratio        the same at the 99.9th percentile
 * @param probeMaxRatio         the same for the maximum
 * @param notes                 anything else a reader of these figures must know
 */
public record LoginIsolationResult(
        LoginSettings settings,
        long loginLimit,
        PhaseResult probeAlone,
        Double probeAloneServerCpu,
        PhaseResult probeUnderLogins,
        PhaseResult wrongPassword,
        PhaseResult unknownAccount,
        Double probeP50Ratio,
        Double probeP99Ratio,
        Double probeP999Ratio,
        Double probeMaxRatio,
        List<String> notes) {

    static LoginIsolationResult of(LoginSettings settings, long loginLimit, PhaseResult alone, Double aloneCpu, PhaseResult loaded,
            PhaseResult wrong, PhaseResult unknown, List<String> notes) {
        LatencySummary a = alone.latency();
        LatencySummary l = loaded.latency();
        return new LoginIsolationResult(settings, loginLimit, alone, aloneCpu, loaded, wrong, unknown, ratio(l.p50Us(), a.p50Us()),
                ratio(l.p99Us(), a.p99Us()), ratio(l.p999Us(), a.p999Us()), ratio(l.maxUs(), a.maxUs()), List.copyOf(notes));
    }

    /** Whether the probe or a failed-login phase had any error (the flood's own are the run's measure). */
    boolean anyErrors() {
        return probeAlone.errorsFlag() || probeUnderLogins.errorsFlag() || (wrongPassword != null && wrongPassword.errorsFlag())
                || (unknownAccount != null && unknownAccount.errorsFlag());
    }

    private static Double ratio(Long loaded, Long alone) {
        return loaded == null || alone == null || alone == 0 ? null : loaded / (double) alone;
    }
}
