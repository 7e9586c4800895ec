package dev.covet.security;

import dev.covet.security.internal.Argon2;
import dev.covet.security.internal.PhcArgon2;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Hashes and verifies passwords. New hashes are Argon2id in PHC string format; bcrypt hashes
 * ({@code $2a$}, {@code $2b$}, {@code $2y$}) from older systems verify and are upgraded on login with
 * {@link #verifyAndUpgrade}.
 *
 * <p><b>Defaults</b>: Argon2id with m=19 MiB (19,456 KiB), t=2, p=1, a 16-byte salt and a 32-byte
 * hash: the first of the equivalent settings the OWASP Password Storage Cheat Sheet recommends
 * ("Use Argon2id with a minimum configuration of 19 MiB of memory, an iteration count of 2, and 1
 * degree of parallelism"); RFC 9106 section 4 gives the same reasoning for memory-constrained servers.
 *
 * <p><b>bcrypt and 72 bytes</b>: bcrypt silently ignores everything after the 72nd byte of a password.
 * This class never creates bcrypt hashes, and when verifying one it <i>refuses</i> passwords longer
 * than 72 UTF-8 bytes (verify returns false) instead of truncating them: a user whose legacy hash was
 * made from a longer password must reset it, but no two different long passwords ever match.
 *
 * <p><b>Never on an I/O thread, never unbounded</b>: hashing costs tens of milliseconds and 19 MiB.
 * Calling it on a Netty event loop throws {@link IllegalStateException} (run the route blocking, the
 * default). At most {@code maxConcurrent} hashes run at once (default: the number of CPUs); further
 * callers wait up to {@code maxWait} (default 5 s), then get a 503 problem, so a login flood queues
 * instead of exhausting CPU and memory.
 *
 * <p><b>Never on a carrier thread either</b>: called from a virtual thread (a blocking route), the hash
 * runs on one of this hasher's own platform threads ({@code covet-password-hash-N}, at most
 * {@code maxConcurrent}, gone when idle) while the virtual thread parks. Run on the virtual thread
 * itself, a hash would hold its carrier for its whole duration: with one CPU there is one carrier,
 * and a login flood stalled every other blocking route behind the hash queue (the harness's
 * {@code login-isolation} scenario measured /json's p99 going from 47 ms to 11 s). On platform threads
 * the kernel time-slices hashing with the carriers, so other routes keep running.
 *
 * <p>Passwords longer than {@link #MAX_PASSWORD_LENGTH} characters are refused (hash throws, verify
 * returns false).
 */
public final class PasswordHasher {
    /** OWASP Password Storage Cheat Sheet: 19 MiB. */
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    /** OWASP Password Storage Cheat Sheet: 2 iterations. */
    public static final int DEFAULT_ITERATIONS = 2;
    /** OWASP Password Storage Cheat Sheet: parallelism 1. */
    public static final int DEFAULT_PARALLELISM = 1;
    /** Default wait for a free hashing slot. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
    /** Longer passwords are refused. */
    public static final int MAX_PASSWORD_LENGTH = 1024;
    static final int BCRYPT_MAX_BYTES = 72;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The result of {@link #verifyAndUpgrade}: whether it matched, and a new hash to store if it should be replaced. */
    public record Verification(boolean matches, Optional<String> upgradedHash) {
        @Override
        public String toString() {
            return "Verification[matches=" + matches + ", upgraded=" + upgradedHash.isPresent() + "]";
        }
    }

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final Semaphore slots;
    private final ThreadPoolExecutor hashingThreads;
    private final Duration maxWait;
    private volatile String dummyHash;

    private PasswordHasher(Builder b) {
        this.memoryKiB = b.memoryKiB;
        this.iterations = b.iterations;
        this.parallelism = b.parallelism;
        this.slots = new Semaphore(b.maxConcurrent, true);
        this.hashingThreads = hashingThreads(b.maxConcurrent);
        this.maxWait = b.maxWait;
    }

    /** A hasher with the OWASP defaults. */
    public static PasswordHasher create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A new Argon2id hash of {@code password} with a random salt.
     *
     * @throws IllegalArgumentException if the password is longer than {@link #MAX_PASSWORD_LENGTH}
     * @throws IllegalStateException on a Netty I/O thread
     * @throws dev.covet.ProblemException 503 if no hashing slot frees up within {@code maxWait}
     */
    public String hash(String password) {
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("Passwords are limited to " + MAX_PASSWORD_LENGTH + " characters");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = limited(() -> Argon2.argon2id(utf8(password), salt, new byte[0], new byte[0], memoryKiB, iterations,
                parallelism, HASH_BYTES));
        return new PhcArgon2(memoryKiB, iterations, parallelism, salt, hash).format();
    }

    /**
     * True if {@code password} matches {@code storedHash} (Argon2id PHC or bcrypt), compared in
     * constant time.
     *
     * @throws IllegalArgumentException if {@code storedHash} is neither (a corrupt row should be loud)
     * @throws IllegalStateException on a Netty I/O thread
     * @throws dev.covet.ProblemException 503 if no hashing slot frees up within {@code maxWait}
     */
    public boolean verify(String password, String storedHash) {
        if (PhcArgon2.looksLike(storedHash)) {
            PhcArgon2 phc = PhcArgon2.parse(storedHash);
            if (password.length() > MAX_PASSWORD_LENGTH) {
                return false;
            }
            byte[] actual = limited(() -> Argon2.argon2id(utf8(password), phc.salt(), new byte[0], new byte[0],
                    phc.memoryKiB(), phc.iterations(), phc.parallelism(), phc.hash().length));
            return MessageDigest.isEqual(actual, phc.hash());
        }
        if (isBcrypt(storedHash)) {
            if (utf8(password).length > BCRYPT_MAX_BYTES) {
                return false; // never truncate: see the class comment
            }
            return limited(() -> OpenBSDBCrypt.checkPassword(storedHash, password.toCharArray()));
        }
        throw new IllegalArgumentException("Not a supported password hash (expected $argon2id$ or $2a$/$2b$/$2y$)");
    }

    /**
     * Verifies, and if the password matches but the hash is bcrypt or has other Argon2 parameters than
     * this hasher's, returns a fresh hash to store in its place (rehash on login).
     */
    public Verification verifyAndUpgrade(String password, String storedHash) {
        boolean matches = verify(password, storedHash);
        if (matches && needsRehash(storedHash)) {
            return new Verification(true, Optional.of(hash(password)));
        }
        return new Verification(matches, Optional.empty());
    }

    /**
     * Spends the same time as verifying a real hash and returns false: call it when the user does not
     * exist, so a login for an unknown user takes as long as a wrong password (no account probing by
     * timing).
     */
    public boolean verifyDummy(String password) {
        String dummy = dummyHash;
        if (dummy == null) {
            dummy = hash("covet-dummy-password");
            dummyHash = dummy;
        }
        verify(password, dummy);
        return false;
    }

    /** True if {@code storedHash} is bcrypt or Argon2id with parameters other than this hasher's. */
    public boolean needsRehash(String storedHash) {
        if (isBcrypt(storedHash)) {
            return true;
        }
        PhcArgon2 phc = PhcArgon2.parse(storedHash);
        return phc.memoryKiB() != memoryKiB || phc.iterations() != iterations || phc.parallelism() != parallelism
                || phc.salt().length < SALT_BYTES || phc.hash().length < HASH_BYTES;
    }

    private static boolean isBcrypt(String hash) {
        return hash.length() == 60 && (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    <T> T limited(Supplier<T> work) {
        if (onEventLoop()) {
            throw new IllegalStateException("Password hashing must not run on a Netty I/O thread: it would stall every "
                    + "connection of that thread. Run the route blocking (the default), not nonBlocking().");
        }
        boolean acquired;
        try {
            acquired = slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SecurityProblems.problem(SecurityProblems.BUSY, 503, "Interrupted while waiting to check a password");
        }
        if (!acquired) {
            throw SecurityProblems.problem(SecurityProblems.BUSY, 503, "Too many logins at once; try again shortly");
        }
        try {
            return Thread.currentThread().isVirtual() ? onHashingThread(work) : work.get();
        } finally {
            slots.release();
        }
    }

    /** Runs {@code work} on a hashing thread while the calling virtual thread parks (its carrier is free). */
    private <T> T onHashingThread(Supplier<T> work) {
        Future<T> result = hashingThreads.submit(work::get); // never queues: the slots bound the callers
        try {
            return result.get();
        } catch (ExecutionException e) {
            // a Supplier throws only unchecked exceptions: rethrow it as the caller's own
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SecurityProblems.problem(SecurityProblems.BUSY, 503, "Interrupted while checking a password");
        }
    }

    private static ThreadPoolExecutor hashingThreads(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> Thread.ofPlatform().daemon()
                        .name("covet-password-hash-" + count.incrementAndGet()).unstarted(task));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    static boolean onEventLoop() {
        EventExecutor executor = ThreadExecutorMap.currentExecutor();
        return executor instanceof EventLoop;
    }

    /** Configures a {@link PasswordHasher}. */
    public static final class Builder {
        private int memoryKiB = DEFAULT_MEMORY_KIB;
        private int iterations = DEFAULT_ITERATIONS;
        private int parallelism = DEFAULT_PARALLELISM;
        private int maxConcurrent = Runtime.getRuntime().availableProcessors();
        private Duration maxWait = DEFAULT_MAX_WAIT;

        private Builder() { }

        /**
         * Argon2id cost (default 19,456 KiB, 2, 1). Raising any of them makes {@link #needsRehash} true for
         * older hashes.
         *
         * @throws IllegalArgumentException outside m 8 KiB..1 GiB, t 1..64, p 1..16
         */
        public Builder argon2(int memoryKiB, int iterations, int parallelism) {
            if (memoryKiB < 8 * parallelism || memoryKiB > PhcArgon2.MAX_MEMORY_KIB || iterations < 1
                    || iterations > PhcArgon2.MAX_ITERATIONS || parallelism < 1 || parallelism > PhcArgon2.MAX_PARALLELISM) {
                throw new IllegalArgumentException("Argon2 parameters out of bounds: m=" + memoryKiB + " t=" + iterations
                        + " p=" + parallelism);
            }
            this.memoryKiB = memoryKiB;
            this.iterations = iterations;
            this.parallelism = parallelism;
            return this;
        }

        /** Hashes running at once (default: CPU count); memory use is at most this times m. */
        public Builder maxConcurrent(int maxConcurrent) {
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("maxConcurrent must be at least 1");
            }
            this.maxConcurrent = maxConcurrent;
            return this;
        }

        /** How long a caller waits for a free slot before the 503 (default 5 s). */
        public Builder maxWait(Duration maxWait) { this.maxWait = maxWait; return this; }

        public PasswordHasher build() {
            return new PasswordHasher(this);
        }
    }
}
