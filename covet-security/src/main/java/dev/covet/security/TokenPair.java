package dev.covet.security;

import java.time.Duration;

/**
 * An access token and the refresh token that can replace it.
 *
 * @param accessToken  a signed JWT to send as {@code Authorization: Bearer ...}
 * @param refreshToken an opaque random string, single use: {@link RefreshTokens#refresh} returns a new pair
 * @param expiresIn    the access token's lifetime
 */
public record TokenPair(String accessToken, String refreshToken, Duration expiresIn) {

    /** The OAuth 2 token response shape (RFC 6749 5.1), ready for {@code ctx.json(...)}. */
    public java.util.Map<String, Object> toResponse() {
        return java.util.Map.of("access_token", accessToken, "token_type", "Bearer", "expires_in", expiresIn.toSeconds(),
                "refresh_token", refreshToken);
    }

    @Override
    public String toString() {
        return "TokenPair[expiresIn=" + expiresIn + "]"; // never the tokens
    }
}
