package dev.covet.security;

import dev.covet.security.internal.Base32;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One-time recovery codes for accounts with two-factor authentication. Show {@link #codes()} once;
 * store only {@link #hashes()}. Each code carries 80 random bits, so a plain SHA-256 is enough (no
 * slow hash needed: there is nothing to guess offline).
 *
 * @param codes  the codes to show the user, formatted {@code XXXX-XXXX-XXXX-XXXX}
 * @param hashes their SHA-256 hashes, to store
 */
public record RecoveryCodes(List<String> codes, List<String> hashes) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public RecoveryCodes {
        codes = List.copyOf(codes);
        hashes = List.copyOf(hashes);
    }

    /** {@code count} fresh codes (1 to 100; 10 is usual). */
    public static RecoveryCodes generate(int count) {
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("count must be 1 to 100");
        }
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] random = new byte[10];
            RANDOM.nextBytes(random);
            String raw = Base32.encode(random);
            codes.add(raw.substring(0, 4) + "-" + raw.substring(4, 8) + "-" + raw.substring(8, 12) + "-" + raw.substring(12, 16));
            hashes.add(hash(raw));
        }
        return new RecoveryCodes(codes, hashes);
    }

    /**
     * Redeems {@code code} (case, spaces and dashes ignored) against the stored hashes: the hashes to
     * store from now on (without the used one), or empty if it matches none. Every stored hash is
     * compared, in constant time.
     */
    public static Optional<List<String>> redeem(String code, List<String> storedHashes) {
        String normalized = code.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (normalized.length() != 16) {
            return Optional.empty();
        }
        byte[] given = hash(normalized).getBytes(StandardCharsets.US_ASCII);
        int match = -1;
        for (int i = 0; i < storedHashes.size(); i++) {
            if (MessageDigest.isEqual(given, storedHashes.get(i).getBytes(StandardCharsets.US_ASCII)) && match < 0) {
                match = i;
            }
        }
        if (match < 0) {
            return Optional.empty();
        }
        List<String> remaining = new ArrayList<>(storedHashes);
        remaining.remove(match);
        return Optional.of(List.copyOf(remaining));
    }

    private static String hash(String normalized) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(normalized.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "RecoveryCodes[" + codes.size() + " codes]"; // never the codes
    }
}
