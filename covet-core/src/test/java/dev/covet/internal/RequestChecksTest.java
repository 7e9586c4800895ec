package dev.covet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The request-target rules {@link HttpConnection} applies before routing (the framing rules are proved over sockets). */
class RequestChecksTest {

    @Test
    void pathStartAcceptsOriginAndAbsoluteFormAndNothingElse() {
        assertThat(RequestChecks.pathStart("/plaintext")).isZero();
        assertThat(RequestChecks.pathStart("/a/b?c=d&e=%20f")).isZero();
        assertThat(RequestChecks.pathStart("http://example.com:8080/a")).isEqualTo(23);
        assertThat(RequestChecks.pathStart("/a b")).isEqualTo(-1);
        assertThat(RequestChecks.pathStart("/caf\u00e9")).isEqualTo(-1);
        assertThat(RequestChecks.pathStart("/a\u012fb")).isEqualTo(-1); // beyond Latin-1
        assertThat(RequestChecks.pathStart("/%2")).isEqualTo(-1);
        assertThat(RequestChecks.pathStart("/a#frag")).isEqualTo(-1);
        assertThat(RequestChecks.pathStart("http://bad host/a")).isEqualTo(-1);
        assertThat(RequestChecks.pathStart("a/b")).isEqualTo(-1);
        assertThat(RequestChecks.pathStart("")).isEqualTo(-1);
    }
}
