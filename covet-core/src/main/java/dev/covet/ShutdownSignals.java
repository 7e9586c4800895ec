package dev.covet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the app gracefully and exit with status 0. A plain JVM shutdown hook would
 * also run on SIGTERM, but the JVM then exits with 143, which process supervisors read as a failure.
 */
final class ShutdownSignals {
    private static final Logger LOG = LoggerFactory.getLogger("dev.covet");

    private ShutdownSignals() { }

    @SuppressWarnings("removal")
    static void install(Covet app) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> Thread.ofPlatform().name("covet-shutdown").start(() -> {
                    LOG.info("SIG{} received: stopping gracefully", name);
                    app.stop();
                    System.exit(0);
                }));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.warn("Cannot handle SIG{} on this platform ({}); stop the server with Covet.stop()", name, e.toString());
            }
        }
    }
}
