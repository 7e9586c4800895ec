package dev.covet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code covet} command. */
@Command(name = "covet", mixinStandardHelpOptions = true, version = "covet 0.1.0-SNAPSHOT",
        description = "Covet: check this machine (doctor), migrate a database (migrate). `covet bench` runs the benchmark harness (bin/bench).",
        subcommands = {DoctorCommand.class, MigrateCommand.class})
public final class CovetCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CovetCommand()).execute(args));
    }
}
