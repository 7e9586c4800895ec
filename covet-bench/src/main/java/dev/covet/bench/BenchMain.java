package dev.covet.bench;

import picocli.CommandLine;

/** Runs {@link BenchCommand} on its own: {@code java -cp covet-bench/target/classes:covet-bench/target/lib/* dev.covet.bench.BenchMain --help}. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
