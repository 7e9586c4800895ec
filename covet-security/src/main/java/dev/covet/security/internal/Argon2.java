package dev.covet.security.internal;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Raw Argon2id (RFC 9106, version 0x13) over Bouncy Castle. */
public final class Argon2 {
    private Argon2() { }

    /** The Argon2id tag of {@code password}; {@code secret} and {@code ad} may be empty. */
    public static byte[] argon2id(byte[] password, byte[] salt, byte[] secret, byte[] ad, int memoryKiB, int iterations,
                                  int parallelism, int tagLength) {
        Argon2Parameters.Builder params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt);
        if (secret.length > 0) {
            params.withSecret(secret);
        }
        if (ad.length > 0) {
            params.withAdditional(ad);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params.build());
        byte[] tag = new byte[tagLength];
        generator.generateBytes(password, tag);
        return tag;
    }
}
