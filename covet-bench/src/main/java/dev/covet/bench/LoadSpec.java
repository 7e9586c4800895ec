package dev.covet.bench;

import java.time.Duration;

/**
 * How one run loads one target.
 *
 * @param host        address to connect to; the harness only ever loads loopback
 * @param port        target port
 * @param scenario    what to send and what to accept back
 * @param connections number of keep-alive connections
 * @param depth       requests in flight per connection (1 = no pipelining)
 * @param rate        total requests per second for fixed-rate (open-loop) mode; 0 for closed loop
 * @param timeout     per-request timeout, counted from the moment the request was written
 * @param threads     event-loop threads of the client
 * @param parser      how responses are parsed
 */
public record LoadSpec(
        String host,
        int port,
        Scenario scenario,
        int connections,
        int depth,
        double rate,
        Duration timeout,
        int threads,
        Parser parser) {

    /** How the load generator parses responses. */
    public enum Parser {
        /** {@link ResponseParser}: framing only, no allocation per response (the default). */
        COVET,
        /** Netty's {@code HttpResponseDecoder}: the reference implementation, heavier per response. */
        NETTY
    }

    /** A spec with the default parser. */
    public LoadSpec(String host, int port, Scenario scenario, int connections, int depth, double rate, Duration timeout, int threads) {
        this(host, port, scenario, connections, depth, rate, timeout, threads, Parser.COVET);
    }

    /** Longest latency the histogram can hold; the timeout must fit under it. */
    public static final Duration MAX_LATENCY = Duration.ofSeconds(60);

    public LoadSpec {
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("the harness loads loopback only, not " + host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1");
        }
        if (depth < 1) {
            throw new IllegalArgumentException("pipelining depth must be at least 1");
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0, not " + rate);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_LATENCY) >= 0) {
            throw new IllegalArgumentException("timeout must be above 0 and below " + MAX_LATENCY.toSeconds() + " s");
        }
        if (parser == null) {
            throw new IllegalArgumentException("parser must be given");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("client threads must be at least 1");
        }
    }

    /** {@code "fixed-rate"} when a rate is set, otherwise {@code "closed-loop"}. */
    public String mode() {
        return rate > 0 ? "fixed-rate" : "closed-loop";
    }
}
