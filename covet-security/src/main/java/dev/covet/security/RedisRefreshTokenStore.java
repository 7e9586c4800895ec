package dev.covet.security;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link RefreshTokenStore} in Redis, shared by every instance of the app. Keys (all under the
 * given prefix, all with a TTL so Redis forgets them by itself): {@code rt:<sha256>} holds a token as
 * JSON, {@code used:<sha256>} marks a rotated token ({@code SET NX}, so exactly one instance wins a
 * race), {@code fam:<id>} marks a revoked family.
 *
 * <p>Redis errors propagate as Lettuce exceptions (a refresh then fails with a 500): refresh is
 * not worth accepting when reuse cannot be detected.
 */
public final class RedisRefreshTokenStore implements RefreshTokenStore {
    private final RedisCommands<String, String> redis;
    private final String prefix;

    private RedisRefreshTokenStore(StatefulRedisConnection<String, String> connection, String prefix) {
        this.redis = connection.sync();
        this.prefix = prefix;
    }

    /** A store on {@code connection}, its keys under {@code prefix} (e.g. {@code "myapp:"}). */
    public static RedisRefreshTokenStore create(StatefulRedisConnection<String, String> connection, String prefix) {
        return new RedisRefreshTokenStore(connection, prefix);
    }

    @Override
    public void save(String tokenHash, Entry entry, Duration ttl) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("family", entry.familyId());
        json.put("sub", entry.subject());
        json.put("claims", entry.claims());
        json.put("exp", entry.expiresAt().getEpochSecond());
        redis.set(prefix + "rt:" + tokenHash, JSONObjectUtils.toJSONString(json), SetArgs.Builder.ex(ttl));
    }

    @Override
    public Optional<Entry> find(String tokenHash) {
        String value = redis.get(prefix + "rt:" + tokenHash);
        if (value == null) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = JSONObjectUtils.parse(value);
            return Optional.of(new Entry(JSONObjectUtils.getString(json, "family"), JSONObjectUtils.getString(json, "sub"),
                    JSONObjectUtils.getJSONObject(json, "claims"),
                    Instant.ofEpochSecond(JSONObjectUtils.getLong(json, "exp"))));
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean markUsed(String tokenHash, Duration ttl) {
        return "OK".equals(redis.set(prefix + "used:" + tokenHash, "1", SetArgs.Builder.nx().ex(ttl)));
    }

    @Override
    public void revokeFamily(String familyId, Duration ttl) {
        redis.set(prefix + "fam:" + familyId, "revoked", SetArgs.Builder.ex(ttl));
    }

    @Override
    public boolean isFamilyRevoked(String familyId) {
        return redis.exists(prefix + "fam:" + familyId) > 0;
    }
}
