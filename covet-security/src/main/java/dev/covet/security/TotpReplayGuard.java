package dev.covet.security;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the last time step at which each account's one-time code was accepted, so a code
 * (or an earlier one still inside the window) is never accepted twice (RFC 6238 section 5.2).
 * {@link #inMemory()} for one instance; {@link #redis} when instances share logins.
 */
public interface TotpReplayGuard {

    /** Accepts {@code timeStep} for {@code account} if it is later than the last accepted one, atomically. */
    boolean accept(String account, long timeStep, Duration remember);

    /** A guard in this JVM. Entries are never older than the window; forgotten on restart. */
    static TotpReplayGuard inMemory() {
        Map<String, Long> last = new ConcurrentHashMap<>();
        return (account, step, remember) -> {
            boolean[] accepted = {false};
            last.compute(account, (k, previous) -> {
                if (previous == null || step > previous) {
                    accepted[0] = true;
                    return step;
                }
                return previous;
            });
            return accepted[0];
        };
    }

    /** A guard in Redis: one key per account under {@code prefix}, expiring after the window. */
    static TotpReplayGuard redis(StatefulRedisConnection<String, String> connection, String prefix) {
        String script = "local last = tonumber(redis.call('GET', KEYS[1]) or '-1') "
                + "if tonumber(ARGV[1]) > last then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1 end return 0";
        return (account, step, remember) -> {
            Long result = connection.sync().eval(script, ScriptOutputType.INTEGER, new String[] {prefix + "totp:" + account},
                    Long.toString(step), Long.toString(Math.max(1, remember.toSeconds())));
            return result != null && result == 1L;
        };
    }
}
