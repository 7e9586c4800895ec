package dev.covet.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RefreshTokenStore} in this JVM: for a single instance and for tests. Entries are dropped
 * once expired (checked on access and swept every 1,024 writes); restarting the app logs everyone out.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> used = new ConcurrentHashMap<>();
    private final Map<String, Instant> revokedFamilies = new ConcurrentHashMap<>();
    private final Clock clock;
    private int writes;

    private InMemoryRefreshTokenStore(Clock clock) {
        this.clock = clock;
    }

    public static InMemoryRefreshTokenStore create() {
        return new InMemoryRefreshTokenStore(Clock.systemUTC());
    }

    /** A store on the given clock (for tests). */
    public static InMemoryRefreshTokenStore create(Clock clock) {
        return new InMemoryRefreshTokenStore(clock);
    }

    @Override
    public void save(String tokenHash, Entry entry, Duration ttl) {
        tokens.put(tokenHash, entry);
        sweepSometimes();
    }

    @Override
    public Optional<Entry> find(String tokenHash) {
        Entry entry = tokens.get(tokenHash);
        return entry == null || clock.instant().isAfter(entry.expiresAt()) ? Optional.empty() : Optional.of(entry);
    }

    @Override
    public boolean markUsed(String tokenHash, Duration ttl) {
        return used.putIfAbsent(tokenHash, clock.instant().plus(ttl)) == null;
    }

    @Override
    public void revokeFamily(String familyId, Duration ttl) {
        revokedFamilies.put(familyId, clock.instant().plus(ttl));
        sweepSometimes();
    }

    @Override
    public boolean isFamilyRevoked(String familyId) {
        return revokedFamilies.containsKey(familyId);
    }

    private void sweepSometimes() {
        if ((++writes & 1023) != 0) {
            return;
        }
        Instant now = clock.instant();
        tokens.values().removeIf(e -> now.isAfter(e.expiresAt()));
        used.values().removeIf(now::isAfter);
        revokedFamilies.values().removeIf(now::isAfter);
    }
}
