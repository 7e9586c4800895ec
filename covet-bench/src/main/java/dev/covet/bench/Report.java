package dev.covet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a session's three outputs into its results directory: results.json, summary.md, report.html. */
public final class Report {
    private Report() {
    }

    /** The JSON mapper used for results.json (indented, records as objects). */
    public static JsonMapper json() {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    /** Writes the three files into {@code dir}. */
    public static void write(Results results, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), json().writeValueAsString(results) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary.md"), MarkdownSummary.render(results), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(results), StandardCharsets.UTF_8);
    }
}
