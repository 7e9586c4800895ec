package dev.covet.bench;

import java.time.Duration;

/**
 * Sizes and rates of the {@code login-isolation} scenario ({@link LoginIsolation}); the other scenarios ignore them.
 *
 * @param connections        closed-loop connections posting valid credentials (the login flood)
 * @param failureConnections closed-loop connections posting a wrong password, and as many posting an unknown
 *                           account, alongside the flood; 0 for none
 * @param probeRate          requests per second of the fixed-rate {@code GET /json} probe
 * @param probeConnections   connections the probe's schedule is spread over
 * @param loginTimeout       per-request timeout of the login requests (the probe keeps {@code --timeout}); above the
 *                           hasher's own wait for a free slot, so that its 503 is seen as a 503, not as a timeout
 */
public record LoginSettings(int connections, int failureConnections, double probeRate, int probeConnections, Duration loginTimeout) {

    public LoginSettings {
        if (connections < 1 || probeConnections < 1) {
            throw new IllegalArgumentException("--login-connections and --probe-connections must be at least 1");
        }
        if (failureConnections < 0) {
            throw new IllegalArgumentException("--login-failure-connections must be 0 or more");
        }
        if (!(probeRate > 0) || Double.isInfinite(probeRate)) {
            throw new IllegalArgumentException("--probe-rate must be a positive number");
        }
        if (loginTimeout.isNegative() || loginTimeout.isZero() || loginTimeout.compareTo(LoadSpec.MAX_LATENCY) >= 0) {
            throw new IllegalArgumentException("--login-timeout must be above 0 and below " + LoadSpec.MAX_LATENCY.toSeconds() + " s");
        }
    }
}
