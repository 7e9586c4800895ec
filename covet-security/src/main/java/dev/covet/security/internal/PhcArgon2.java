package dev.covet.security.internal;

import java.util.Base64;

/**
 * An Argon2id hash in the PHC string format used by the reference implementation, libsodium, PHP
 * and Python's argon2-cffi: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded standard
 * base64). Parsing is strict and bounds the cost parameters, so a tampered database row cannot make
 * a login allocate gigabytes.
 */
public record PhcArgon2(int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) {
    public static final int MAX_MEMORY_KIB = 1024 * 1024;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 16;
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    public static boolean looksLike(String phc) {
        return phc.startsWith("$argon2id$");
    }

    /**
     * @throws IllegalArgumentException if {@code phc} is not an Argon2id v19 PHC string within bounds
     */
    public static PhcArgon2 parse(String phc) {
        String[] parts = phc.split("\\$", -1);
        if (parts.length != 6 || !parts[0].isEmpty() || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
            throw new IllegalArgumentException("Not an Argon2id v19 PHC string");
        }
        int m = -1;
        int t = -1;
        int p = -1;
        String[] params = parts[3].split(",", -1);
        if (params.length != 3) {
            throw new IllegalArgumentException("Argon2 parameters must be m,t,p");
        }
        for (String param : params) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("Bad Argon2 parameter");
            }
            int value = parseSmallInt(param.substring(eq + 1));
            switch (param.substring(0, eq)) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> throw new IllegalArgumentException("Unknown Argon2 parameter");
            }
        }
        if (m < 8 || m > MAX_MEMORY_KIB || t < 1 || t > MAX_ITERATIONS || p < 1 || p > MAX_PARALLELISM || m < 8 * p) {
            throw new IllegalArgumentException("Argon2 parameters out of bounds");
        }
        byte[] salt = decode(parts[4]);
        byte[] hash = decode(parts[5]);
        if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
            throw new IllegalArgumentException("Argon2 salt or hash length out of bounds");
        }
        return new PhcArgon2(m, t, p, salt, hash);
    }

    private static int parseSmallInt(String s) {
        if (s.isEmpty() || s.length() > 8 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("Bad Argon2 parameter value");
        }
        return Integer.parseInt(s);
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bad base64 in Argon2 PHC string");
        }
    }

    public String format() {
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }
}
