package dev.covet.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The paths of the routes without parameters, as the decoder sees request targets: bytes. A target
 * equal to one of them is handed on as that path's one shared {@code String} instead of a new one, so
 * the request allocates no target string, and the router's exact-path lookup finds it by its cached
 * hash and by identity instead of hashing and comparing a fresh string. Netty does the same for
 * {@code GET} and {@code HTTP/1.1}.
 *
 * <p>Only targets without a query string can match; anything else is decoded as before. Immutable
 * once built, shared by every connection.
 */
final class KnownPaths {
    static final KnownPaths NONE = new KnownPaths(List.of());
    /** Longer paths are not worth a table row: they are rare, and a fresh string is cheap next to them. */
    private static final int MAX_LENGTH = 128;

    /** Per length, the paths of that length and their bytes, in the same order. */
    private final String[][] paths = new String[MAX_LENGTH + 1][];
    private final byte[][][] bytes = new byte[MAX_LENGTH + 1][][];

    KnownPaths(Collection<String> exactPaths) {
        // only what a valid request target could be, byte for byte (RequestChecks still checks it)
        Map<Integer, List<String>> byLength = exactPaths.stream()
                .filter(path -> path.length() <= MAX_LENGTH && RequestChecks.pathStart(path) == 0 && path.indexOf('?') < 0)
                .collect(Collectors.groupingBy(String::length));
        byLength.forEach((length, same) -> {
            paths[length] = same.toArray(String[]::new);
            bytes[length] = same.stream().map(p -> p.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        });
    }

    /** The known path equal to {@code target[start, start + length)}, or {@code null}. */
    String find(byte[] target, int start, int length) {
        if (length > MAX_LENGTH || paths[length] == null) {
            return null;
        }
        byte[][] candidates = bytes[length];
        for (int i = 0; i < candidates.length; i++) {
            if (Arrays.equals(candidates[i], 0, length, target, start, start + length)) {
                return paths[length][i];
            }
        }
        return null;
    }
}
