package dev.covet.bench;

/** Pacing of a connection that is only held open (the idle scale scenario): it never sends. */
final class NoSends implements Pacing {
    @Override
    public void beginPhase(long startNanos, long endNanos) {
        // nothing to schedule
    }

    @Override
    public void pump(Sender sender, long now) {
        // never sends
    }

    @Override
    public long unsent(long endNanos) {
        return 0;
    }
}
