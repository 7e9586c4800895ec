package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.Covet;
import dev.covet.ProblemException;
import dev.covet.RouteOptions;
import dev.covet.security.internal.Argon2;
import dev.covet.security.internal.PhcArgon2;
import dev.covet.testkit.TestServer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    /** Small parameters keep the suite fast; only the production-defaults test pays for 19 MiB. */
    static final PasswordHasher FAST = PasswordHasher.builder().argon2(64, 1, 1).build();

    @Test
    void argon2idMatchesTheRfc9106TestVector() {
        // RFC 9106 section 5.3: Argon2id, m=32 KiB, t=3, p=4, 32-byte tag, with secret and associated data.
        byte[] tag = Argon2.argon2id(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03), filled(12, 0x04), 32, 3, 4, 32);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void hashesInPhcFormatFromTheReferenceArgon2CliVerify() {
        // echo -n password | argon2 somesaltsomesalt -id -t 2 -k 19456 -p 1 -l 32 -e   (Debian package argon2)
        String reference = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE";
        assertThat(FAST.verify("password", reference)).isTrue();
        assertThat(FAST.verify("passwore", reference)).isFalse();
        String small = "$argon2id$v=19$m=64,t=1,p=1$Y292ZXRzYWx0MTIzNDU2Nw$h39W9uSsPn5n8XpeLbpBZwsOJ6V2i1owaT6u/lhAuvY";
        assertThat(FAST.verify("correct horse", small)).isTrue();
        assertThat(FAST.needsRehash(small)).isFalse();
    }

    @Test
    void theProductionDefaultsAreOwaspsArgon2idParameters() {
        String hash = PasswordHasher.create().hash("hunter2");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        PhcArgon2 phc = PhcArgon2.parse(hash);
        assertThat(phc.salt()).hasSize(16);
        assertThat(phc.hash()).hasSize(32);
        assertThat(PasswordHasher.create().verify("hunter2", hash)).isTrue();
    }

    @Test
    void twoHashesOfOnePasswordDifferBySaltAndBothVerify() {
        String a = FAST.hash("s3cret");
        String b = FAST.hash("s3cret");
        assertThat(a).isNotEqualTo(b);
        assertThat(FAST.verify("s3cret", a)).isTrue();
        assertThat(FAST.verify("s3cret", b)).isTrue();
        assertThat(FAST.verify("S3cret", a)).isFalse();
        assertThat(FAST.verify("", a)).isFalse();
    }

    @Test
    void knownBcryptVectorsVerify() {
        // From the OpenBSD / jBCrypt test vectors (checked with python3-bcrypt).
        assertThat(FAST.verify("", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")).isTrue();
        assertThat(FAST.verify("a", "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe")).isTrue();
        assertThat(FAST.verify("abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i")).isTrue();
        assertThat(FAST.verify("abcdefghijklmnopqrstuvwxyz",
                "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC")).isTrue();
        assertThat(FAST.verify("abd", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i")).isFalse();
        // $2b$ as made by python3-bcrypt
        assertThat(FAST.verify("legacy password", "$2b$04$horRsaJ9sCYUytrmbckH6.xEOeXDit/V2qZY4wYmWJR2MjVC5i1lG")).isTrue();
    }

    @Test
    void aBcryptHashIsUpgradedToArgon2idOnASuccessfulLogin() {
        String legacy = "$2b$04$horRsaJ9sCYUytrmbckH6.xEOeXDit/V2qZY4wYmWJR2MjVC5i1lG";
        assertThat(FAST.needsRehash(legacy)).isTrue();
        PasswordHasher.Verification ok = FAST.verifyAndUpgrade("legacy password", legacy);
        assertThat(ok.matches()).isTrue();
        assertThat(ok.upgradedHash()).hasValueSatisfying(h -> {
            assertThat(h).startsWith("$argon2id$");
            assertThat(FAST.verify("legacy password", h)).isTrue();
        });
        PasswordHasher.Verification wrong = FAST.verifyAndUpgrade("guess", legacy);
        assertThat(wrong.matches()).isFalse();
        assertThat(wrong.upgradedHash()).isEmpty();
    }

    @Test
    void passwordsLongerThan72BytesNeverMatchABcryptHashInsteadOfBeingTruncated() {
        // bcrypt would compare only the first 72 bytes; Covet refuses rather than truncates.
        String first72 = "x".repeat(72);
        String bcryptOf72 = org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2b", first72.toCharArray(),
                new byte[16], 4);
        assertThat(FAST.verify(first72, bcryptOf72)).isTrue();
        assertThat(FAST.verify(first72 + "anything", bcryptOf72)).isFalse();
        // Multi-byte characters count as bytes: 36 "é" are 72 bytes, 37 are 74.
        String e72 = "é".repeat(36);
        String bcryptOfE72 = org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2b", e72.toCharArray(), new byte[16], 4);
        assertThat(FAST.verify(e72, bcryptOfE72)).isTrue();
        assertThat(FAST.verify(e72 + "é", bcryptOfE72)).isFalse();
    }

    @Test
    void changedParametersMakeOldHashesNeedARehash() {
        String old = FAST.hash("pw");
        PasswordHasher stronger = PasswordHasher.builder().argon2(128, 2, 1).build();
        assertThat(stronger.needsRehash(old)).isTrue();
        PasswordHasher.Verification v = stronger.verifyAndUpgrade("pw", old);
        assertThat(v.upgradedHash()).hasValueSatisfying(h -> assertThat(h).contains("m=128,t=2,p=1"));
        assertThat(stronger.needsRehash(v.upgradedHash().orElseThrow())).isFalse();
    }

    @Test
    void storedHashesWithAbsurdParametersOrGarbageAreRefusedLoudly() {
        assertThatThrownBy(() -> FAST.verify("pw", "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FAST.verify("pw", "plaintext")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FAST.verify("pw", "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FAST.hash("x".repeat(PasswordHasher.MAX_PASSWORD_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashingOnANettyIoThreadIsRefused() {
        Covet app = Covet.create();
        app.get("/io", ctx -> {
            try {
                FAST.hash("pw");
                ctx.text("hashed");
            } catch (IllegalStateException e) {
                ctx.text("refused");
            }
        }, RouteOptions.create().nonBlocking());
        app.get("/blocking", ctx -> ctx.text(FAST.verify("pw", FAST.hash("pw")) ? "hashed" : "no"));
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/io").body()).isEqualTo("refused");
            assertThat(server.get("/blocking").body()).isEqualTo("hashed");
        }
    }

    @Test
    void aFloodOfHashesRunsAtMostMaxConcurrentAtOnceAndTheExcessGets503() throws Exception {
        PasswordHasher limited = PasswordHasher.builder().argon2(8 * 1024, 3, 1).maxConcurrent(1)
                .maxWait(Duration.ofMillis(1)).build();
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(4)) {
            Future<?>[] futures = new Future<?>[4];
            for (int i = 0; i < 4; i++) {
                futures[i] = pool.submit(() -> {
                    go.await();
                    try {
                        limited.hash("pw");
                        done.incrementAndGet();
                    } catch (ProblemException e) {
                        assertThat(e.problem().status()).isEqualTo(503);
                        assertThat(e.problem().detail()).doesNotContain("pw");
                        busy.incrementAndGet();
                    }
                    return null;
                });
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(done.get()).isGreaterThanOrEqualTo(1);
        assertThat(busy.get()).isGreaterThanOrEqualTo(1);
        assertThat(done.get() + busy.get()).isEqualTo(4);
    }

    @Test
    void fromAVirtualThreadTheHashRunsOnAHashingPlatformThreadSoTheCarrierStaysFree() throws Exception {
        Thread[] ran = new Thread[1];
        Thread.ofVirtual().start(() -> ran[0] = FAST.limited(Thread::currentThread)).join();
        assertThat(ran[0].isVirtual()).isFalse();
        assertThat(ran[0].getName()).startsWith("covet-password-hash-");
        assertThat(ran[0].isDaemon()).isTrue();
        // and a real hash from a virtual thread verifies, failures come back as they were thrown
        String[] hash = new String[1];
        Thread.ofVirtual().start(() -> hash[0] = FAST.hash("secret")).join();
        assertThat(FAST.verify("secret", hash[0])).isTrue();
        RuntimeException[] thrown = new RuntimeException[1];
        Thread.ofVirtual().start(() -> {
            try {
                FAST.limited(() -> {
                    throw new IllegalArgumentException("boom");
                });
            } catch (RuntimeException e) {
                thrown[0] = e;
            }
        }).join();
        assertThat(thrown[0]).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
    }

    @Test
    void fromAPlatformThreadTheHashRunsInPlace() {
        assertThat(FAST.limited(Thread::currentThread)).isSameAs(Thread.currentThread());
    }

    static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
