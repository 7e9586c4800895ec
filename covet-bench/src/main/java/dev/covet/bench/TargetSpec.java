package dev.covet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server to benchmark, started as its own process.
 *
 * <p>A JVM target names a main class and a classpath (entries relative to the project root;
 * {@code dir/*} is the JVM's own wildcard). It is started as
 * {@code <java> <jvm args> -cp <classpath> <mainClass> <args>}. Any other target gives a whole
 * {@code command}, where {@code {port}} is replaced by the port. Both get {@code PORT} and
 * {@code COVET_PORT} in their environment, plus {@code env}.
 *
 * @param name        the name used on the command line and in reports
 * @param description one line for the report
 * @param mainClass   main class of a JVM target, or null
 * @param classpath   classpath entries of a JVM target, relative to the project root
 * @param command     full command of a non-JVM target, or null
 * @param args        arguments after the main class
 * @param env         extra environment variables
 * @param probePath   readiness probe path: the target is ready at its first 2xx answer there
 * @param port        fixed port, or null to pick a free one for each run
 * @param scenarios   the scenarios this target implements, or null for all of them; a scenario it does
 *                    not implement is reported as "not implemented" and not run
 */
public record TargetSpec(
        String name,
        String description,
        String mainClass,
        List<String> classpath,
        List<String> command,
        List<String> args,
        Map<String, String> env,
        String probePath,
        Integer port,
        List<String> scenarios) {

    public TargetSpec {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("target name must be letters, digits, '.', '_' or '-': " + name);
        }
        if ((mainClass == null) == (command == null || command.isEmpty())) {
            throw new IllegalArgumentException("target " + name + ": give either mainClass (+ classpath) or command, not both");
        }
        classpath = classpath == null ? List.of() : List.copyOf(classpath);
        command = command == null ? null : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        probePath = probePath == null ? "/plaintext" : probePath;
        description = description == null ? "" : description;
        scenarios = scenarios == null ? null : List.copyOf(scenarios);
        if (!probePath.startsWith("/")) {
            throw new IllegalArgumentException("target " + name + ": probePath must start with '/'");
        }
    }

    /** A JVM target whose classes and copied jars live in {@code <module>/target}. */
    public static TargetSpec jvmModule(String name, String description, String module, String mainClass, List<String> scenarios) {
        return new TargetSpec(name, description, mainClass,
                List.of(module + "/target/classes", module + "/target/lib/*"), null, List.of(), Map.of(), "/plaintext", null, scenarios);
    }

    /** Whether this target serves the scenario of that name. */
    public boolean implementsScenario(String scenario) {
        return scenarios == null || scenarios.contains(scenario);
    }

    /** Whether this target is a JVM the harness can attach to. */
    public boolean isJvm() {
        return mainClass != null;
    }

    /**
     * What is missing for this target to run, or an empty list if it looks built: every
     * directory on the classpath must exist, and one of them must hold the main class.
     */
    public List<String> missingArtifacts(Path root) {
        List<String> missing = new ArrayList<>();
        if (!isJvm()) {
            return missing;
        }
        String classFile = mainClass.replace('.', '/') + ".class";
        boolean mainFound = false;
        for (String entry : classpath) {
            boolean wildcard = entry.endsWith("/*");
            Path p = root.resolve(wildcard ? entry.substring(0, entry.length() - 2) : entry);
            if (wildcard || !entry.endsWith(".jar")) {
                if (!Files.isDirectory(p)) {
                    missing.add(root.relativize(p.toAbsolutePath().normalize()).toString());
                } else if (!wildcard && Files.isRegularFile(p.resolve(classFile))) {
                    mainFound = true;
                }
            } else if (!Files.isRegularFile(p)) {
                missing.add(entry);
            } else {
                mainFound = true; // a jar may hold the main class; the JVM will tell if it does not
            }
        }
        if (!mainFound && missing.isEmpty()) {
            missing.add(classFile + " on " + String.join(":", classpath));
        }
        return missing;
    }

    /** The command line that starts this target (without any CPU-pinning prefix). */
    public List<String> commandLine(String java, List<String> jvmArgs, Path root, int port) {
        List<String> cmd = new ArrayList<>();
        if (isJvm()) {
            cmd.add(java);
            cmd.addAll(jvmArgs);
            cmd.add("-cp");
            cmd.add(String.join(":", classpath.stream().map(e -> root.resolve(e).toString()).toList()));
            cmd.add(mainClass);
        } else {
            command.forEach(c -> cmd.add(c.replace("{port}", Integer.toString(port))));
        }
        args.forEach(a -> cmd.add(a.replace("{port}", Integer.toString(port))));
        return cmd;
    }
}
