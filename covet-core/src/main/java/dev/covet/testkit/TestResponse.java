package dev.covet.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A response received by {@link TestServer}: status, headers (names are case-insensitive) and body.
 */
public record TestResponse(int status, Map<String, List<String>> headers, byte[] bytes) {

    /** The body as UTF-8 text. */
    public String body() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return Optional.of(entry.getValue().getFirst());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + body();
    }
}
