package dev.covet.jmh;

import dev.covet.security.PasswordHasher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Milliseconds per Argon2id hash and verify with {@link PasswordHasher#create()}'s parameters
 * (m = 19 MiB, t = 2, p = 1: OWASP's first recommendation), one at a time on the JMH thread. This
 * is the CPU a login costs; slow is the point. With {@code -prof gc}, B/op shows the 19 MiB each hash
 * allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PasswordHashBenchmark {
    private static final String PASSWORD = "correct horse battery staple";
    private PasswordHasher hasher;
    private String stored;

    @Setup
    public void setUp() {
        hasher = PasswordHasher.create();
        stored = hasher.hash(PASSWORD);
        String expectedPrefix = "$argon2id$v=19$m=" + PasswordHasher.DEFAULT_MEMORY_KIB + ",t="
                + PasswordHasher.DEFAULT_ITERATIONS + ",p=" + PasswordHasher.DEFAULT_PARALLELISM + "$";
        if (!stored.startsWith(expectedPrefix) || !hasher.verify(PASSWORD, stored) || hasher.verify("wrong", stored)) {
            throw new IllegalStateException("The hasher does not hash with the defaults or does not verify: " + stored);
        }
    }

    @Benchmark
    public String argon2idHash() {
        return hasher.hash(PASSWORD);
    }

    @Benchmark
    public boolean argon2idVerify() {
        return hasher.verify(PASSWORD, stored);
    }
}
