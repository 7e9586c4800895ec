package dev.covet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    private CovetConfig configFromCode() {
        return Covet.create(c -> c.port(1111).maxBodySize(1000).idleTimeout(Duration.ofSeconds(5))).config();
    }

    @Test
    void defaultsAreSafe() {
        CovetConfig config = Covet.create().config();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.devMode()).isFalse();
        assertThat(config.maxBodySize()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.maxHeaderSize()).isEqualTo(16 * 1024);
        assertThat(config.headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theFileOverridesCodeAndTheEnvironmentOverridesTheFile() throws IOException {
        Path file = dir.resolve("covet.properties");
        Files.writeString(file, "covet.port=2222\ncovet.max-body-size=2MB\ncovet.dev-mode=true\n");
        CovetConfig config = configFromCode();
        ConfigKeys.applyExternal(config, Map.of("COVET_CONFIG", file.toString(), "COVET_PORT", "3333"),
                getClass().getClassLoader());
        assertThat(config.port()).as("environment wins").isEqualTo(3333);
        assertThat(config.maxBodySize()).as("file wins over code").isEqualTo(2L * 1024 * 1024);
        assertThat(config.devMode()).isTrue();
        assertThat(config.idleTimeout()).as("code value kept").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void durationsAndSizesAcceptUnits() {
        CovetConfig config = configFromCode();
        ConfigKeys.applyExternal(config, Map.of("COVET_IDLE_TIMEOUT", "1500ms", "COVET_HEADER_READ_TIMEOUT", "2m",
                "COVET_MAX_HEADER_SIZE", "32KB", "COVET_CONFIG", writeEmptyFile()), getClass().getClassLoader());
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.headerReadTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.maxHeaderSize()).isEqualTo(32 * 1024);
    }

    @Test
    void aBadValueNamesTheKeyTheSourceAndTheDefault() {
        CovetConfig config = configFromCode();
        assertThatThrownBy(() -> ConfigKeys.applyExternal(config,
                Map.of("COVET_PORT", "eighty", "COVET_CONFIG", writeEmptyFile()), getClass().getClassLoader()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("covet.port")
                .hasMessageContaining("COVET_PORT")
                .hasMessageContaining("eighty")
                .hasMessageContaining("Default: 8080");
    }

    @Test
    void anUnknownKeyInTheFileIsAnError() throws IOException {
        Path file = dir.resolve("covet.properties");
        Files.writeString(file, "covet.prot=2222\n");
        assertThatThrownBy(() -> ConfigKeys.applyExternal(configFromCode(), Map.of("COVET_CONFIG", file.toString()),
                getClass().getClassLoader())).hasMessageContaining("covet.prot");
    }

    @Test
    void aMissingExplicitConfigFileIsAnError() {
        assertThatThrownBy(() -> ConfigKeys.applyExternal(configFromCode(),
                Map.of("COVET_CONFIG", dir.resolve("nope.properties").toString()), getClass().getClassLoader()))
                .hasMessageContaining("not a readable file");
    }

    @Test
    void configurationIsSealedOnceStarted() {
        Covet app = Covet.create(c -> c.port(0).handleSignals(false).loadExternal(false)).start();
        try {
            assertThatThrownBy(() -> app.config().port(1)).isInstanceOf(IllegalStateException.class);
        } finally {
            app.stop();
        }
    }

    @Test
    void invalidValuesInCodeFailImmediately() {
        assertThatThrownBy(() -> Covet.create(c -> c.port(70000))).hasMessageContaining("port");
        assertThatThrownBy(() -> Covet.create(c -> c.idleTimeout(Duration.ZERO))).hasMessageContaining("idleTimeout");
    }

    @Test
    void theConfigurationPageDocumentsEveryKey() throws IOException {
        Path page = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(page);
        for (var key : ConfigKeys.ALL) {
            assertThat(text).as("docs/configuration.md documents " + key.name()).contains("`" + key.name() + "`");
            assertThat(text).as("docs/configuration.md names " + key.envName()).contains(key.envName());
        }
        Matcher documented = Pattern.compile("`(covet\\.[a-z.-]+)`").matcher(text);
        while (documented.find()) {
            String name = documented.group(1);
            if (name.equals("covet.properties")) {
                continue; // the file's name, not a key
            }
            assertThat(ConfigKeys.ALL.stream().anyMatch(k -> k.name().equals(name)))
                    .as("docs/configuration.md mentions " + name + ", which is not a key").isTrue();
        }
    }

    private String writeEmptyFile() {
        try {
            Path file = dir.resolve("empty.properties");
            Files.writeString(file, "");
            return file.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
