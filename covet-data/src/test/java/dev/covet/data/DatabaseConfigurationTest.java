package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.data.internal.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseConfigurationTest {

    @Test
    void environmentVariablesOverrideCode(@TempDir Path dir) {
        Map<String, String> env = Map.of("COVET_DATA_URL", "sqlite:" + dir.resolve("env.db"),
                "COVET_DATA_POOL_SIZE", "3", "COVET_DATA_ACQUISITION_TIMEOUT", "750ms");
        try (Database db = Database.builder().url("sqlite:" + dir.resolve("code.db")).poolSize(9).environment(env).build()) {
            assertThat(db.settings().poolSize()).isEqualTo(3);
            assertThat(db.settings().acquisitionTimeout()).isEqualTo(Duration.ofMillis(750));
            assertThat(Files.exists(dir.resolve("env.db"))).isTrue();
            assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
        }
    }

    @Test
    void aBadValueNamesTheKeyItsSourceAndTheDefault(@TempDir Path dir) {
        assertThatThrownBy(() -> Database.builder().url("sqlite:" + dir.resolve("x.db"))
                .environment(Map.of("COVET_DATA_POOL_SIZE", "many")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("covet.data.pool-size").hasMessageContaining("COVET_DATA_POOL_SIZE")
                .hasMessageContaining("Default");
    }

    @Test
    void valuesBelowThePoolsFloorsAreRefusedAtBuild(@TempDir Path dir) {
        assertThatThrownBy(() -> Database.builder().url("sqlite:" + dir.resolve("x.db")).loadExternal(false)
                .acquisitionTimeout(Duration.ofMillis(10)).build()).hasMessageContaining("acquisitionTimeout");
    }

    @Test
    void urlsOfTheThreeDatabasesBecomeJdbcUrls() {
        DatabaseUrl pg = DatabaseUrl.parse("postgresql://app:s%40cret@db.local/app?sslmode=disable");
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5432/app?sslmode=disable");
        assertThat(pg.user()).contains("app");
        assertThat(pg.password()).contains("s@cret");
        assertThat(DatabaseUrl.parse("mariadb://root@127.0.0.1/shop").jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/shop");
        assertThat(DatabaseUrl.parse("mysql://root@127.0.0.1/shop").jdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:3306/shop");
        assertThat(DatabaseUrl.parse("jdbc:mysql://127.0.0.1:3307/shop").vendor()).isEqualTo("mysql");
        assertThat(DatabaseUrl.parse("sqlite:data/app.db").jdbcUrl()).isEqualTo("jdbc:sqlite:data/app.db");
        assertThat(DatabaseUrl.redact("postgresql://app:secret@h/db")).isEqualTo("postgresql://app:***@h/db");
        assertThat(DatabaseUrl.redact("postgresql://app:se/cr@t@h:5432/db")).isEqualTo("postgresql://app:***@h:5432/db");
        assertThat(DatabaseUrl.redact("mariadb://h/db?user=app&password=secret&ssl=true"))
                .isEqualTo("mariadb://h/db?user=app&password=***&ssl=true");
        assertThat(DatabaseUrl.redact("postgresql://app@h/db")).isEqualTo("postgresql://app@h/db");
        assertThat(DatabaseUrl.redact("sqlite:data/app.db")).isEqualTo("sqlite:data/app.db");
    }

    @Test
    void passwordsWithAnyCharacterAreFoundAndRedactedWhole() {
        // a raw '#' or '?' in the password: before, redact printed the first whole and the second past the '?'
        assertThat(DatabaseUrl.redact("postgresql://app:pa#ss@h/db")).isEqualTo("postgresql://app:***@h/db");
        assertThat(DatabaseUrl.redact("postgresql://app:pa?ss@h/db")).isEqualTo("postgresql://app:***@h/db");
        assertThat(DatabaseUrl.redact("mysql://h/db;password=pa#s;s")).isEqualTo("mysql://h/db;password=***");
        assertThat(DatabaseUrl.passwordsIn("postgresql://app:se/cr@t@h/db?password=other&ssl=true"))
                .containsExactly("se/cr@t", "other");
        assertThat(DatabaseUrl.passwordsIn("postgresql://app:s%40cret@h/db")).containsExactly("s%40cret");
        assertThat(DatabaseUrl.passwordsIn("postgresql://app@h/db?user=a@b")).isEmpty();
        assertThat(DatabaseUrl.passwordsIn("sqlite:data/app.db")).isEmpty();
        // java.net.URI's own message would quote the URL whole
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:pa ss@h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Malformed database URL 'postgresql://app:***@h/db'")
                .hasMessageNotContaining("pa ss");
    }

    @Test
    void inMemorySqliteAndUnknownSchemesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> DatabaseUrl.parse("sqlite::memory:")).hasMessageContaining("in-memory");
        assertThatThrownBy(() -> DatabaseUrl.parse("oracle://x/y")).hasMessageContaining("sqlite:path");
    }

    @Test
    void anUnreachableServerStopsBuildWithAClearMessage() {
        assertThatThrownBy(() -> Database.builder().url("postgresql://postgres@127.0.0.1:1/none").loadExternal(false)
                .acquisitionTimeout(Duration.ofMillis(500)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Cannot open the database");
    }

    @Test
    void docsListEveryConfigurationKey() throws Exception {
        Path doc = Path.of("../docs/data.md");
        String text = Files.readString(doc);
        for (var key : DataConfigKeys.ALL) {
            assertThat(text).contains("| `" + key.name() + "` | `" + key.envName() + "` |");
        }
    }
}
