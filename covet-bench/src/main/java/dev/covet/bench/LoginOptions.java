package dev.covet.bench;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of the {@code login-isolation} scenario ({@link LoginIsolation}), mixed into {@link BenchCommand}. */
final class LoginOptions {
    @Option(names = "--login-connections", defaultValue = "16",
            description = "Closed-loop connections of the login flood in 'login-isolation' (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--login-failure-connections", defaultValue = "1",
            description = "Connections posting a wrong password, and as many posting an unknown account, alongside the flood;"
                    + " 0 for none (default: ${DEFAULT-VALUE}).")
    int failureConnections;

    @Option(names = "--probe-rate", defaultValue = "500", paramLabel = "REQ_PER_S",
            description = "Fixed rate of the GET /json probe of 'login-isolation' (default: ${DEFAULT-VALUE}).")
    double probeRate;

    @Option(names = "--probe-connections", defaultValue = "16",
            description = "Connections of the probe of 'login-isolation' (default: ${DEFAULT-VALUE}).")
    int probeConnections;

    @Option(names = "--login-timeout", defaultValue = "15s", converter = DurationConverter.class,
            description = "Per-request timeout of the logins of 'login-isolation' (default: ${DEFAULT-VALUE}).")
    Duration loginTimeout;

    LoginSettings settings() {
        return new LoginSettings(connections, failureConnections, probeRate, probeConnections, loginTimeout);
    }
}
