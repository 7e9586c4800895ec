package dev.covet.peers.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerDatabaseTest {

    @Test
    void queriesAreClampedToOneToFiveHundredAndDefaultToOne() {
        assertThat(PeerDatabase.queries(null)).isEqualTo(1);
        assertThat(PeerDatabase.queries("")).isEqualTo(1);
        assertThat(PeerDatabase.queries("foo")).isEqualTo(1);
        assertThat(PeerDatabase.queries("0")).isEqualTo(1);
        assertThat(PeerDatabase.queries("-3")).isEqualTo(1);
        assertThat(PeerDatabase.queries(" 20 ")).isEqualTo(20);
        assertThat(PeerDatabase.queries("501")).isEqualTo(500);
        assertThat(PeerDatabase.queries("99999999999")).isEqualTo(1); // not an int: treated as not a number
    }

    @Test
    void theHarnessUrlBecomesAJdbcUrlAndCredentials() {
        assertThat(DataUrl.parse("postgresql://postgres@127.0.0.1:5432/covet_bench_world_10k"))
                .isEqualTo(new DataUrl("jdbc:postgresql://127.0.0.1:5432/covet_bench_world_10k", "postgres", ""));
        DataUrl withPassword = DataUrl.parse("postgresql://bench:s3cret@db.local/world");
        assertThat(withPassword).isEqualTo(new DataUrl("jdbc:postgresql://db.local:5432/world", "bench", "s3cret"));
        assertThat(withPassword.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> DataUrl.parse("mysql://root@127.0.0.1/world")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataUrl.parse("postgresql://postgres@127.0.0.1:5432")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFortunesPageEscapesEveryMessage() {
        String page = FortunesPage.render(List.of(new Fortune(11, "<script>alert(\"x\" & 'y');</script>"), new Fortune(0, "plain")));
        assertThat(page).isEqualTo("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
                + "<tr><th>id</th><th>message</th></tr>"
                + "<tr><td>11</td><td>&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;);&lt;/script&gt;</td></tr>"
                + "<tr><td>0</td><td>plain</td></tr></table></body></html>");
    }
}
