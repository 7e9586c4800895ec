package dev.covet.cli;

import dev.covet.RuntimeFacts;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code covet doctor}: prints what Covet would run on here and whether anything is wrong. Exits 1
 * when a fact is a failure (Java too old, invalid configuration, a requested transport that cannot load).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show the JVM, GC, transport, native libraries, CPUs and limits Covet would run with.")
public final class DoctorCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<RuntimeFacts.Fact> facts = RuntimeFacts.collect();
        int width = facts.stream().mapToInt(f -> f.name().length()).max().orElse(10);
        boolean failed = false;
        for (RuntimeFacts.Fact fact : facts) {
            String mark = switch (fact.status()) {
                case OK -> "ok  ";
                case WARN -> "WARN";
                case FAIL -> "FAIL";
            };
            failed |= fact.status() == RuntimeFacts.Status.FAIL;
            out.printf("%s  %-" + width + "s  %s%n", mark, fact.name(), fact.value());
        }
        out.println(failed ? "covet doctor: problems found (FAIL lines above); fix them before starting a server."
                : "covet doctor: ready.");
        out.flush();
        return failed ? 1 : 0;
    }
}
