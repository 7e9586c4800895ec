package dev.covet.cli;

import dev.covet.ExternalConfig;
import dev.covet.data.DataAccessException;
import dev.covet.data.Database;
import dev.covet.data.MigrationStatus;
import dev.covet.data.Migrations;
import dev.covet.data.internal.Causes;
import dev.covet.data.internal.DatabaseUrl;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code covet migrate}: applies the pending Flyway migrations ({@link Migrations}) to a database, or with
 * {@code --info} lists every migration's state; {@code covet migrate repair} makes the history match the files
 * again. Exit 0 when done, 1 when the database refused (a failed migration, a history that does not match the
 * files, a server that cannot be reached), 2 for bad input (no URL, an unknown URL scheme, a location that does
 * not exist). Errors are one clear message; the stack trace only with {@code --verbose}. The password never
 * appears in what it prints.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply the pending database migrations (Flyway), or list them with --info; "
                + "`covet migrate repair` makes the history match the files again.")
final class MigrateCommand implements Callable<Integer> {
    static final List<String> DEFAULT_LOCATIONS = List.of("src/main/resources/db/migration", "db/migration");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** What repair did to a migration, by the state that made it act: the verb of its line and its summary. */
    private static final Map<MigrationStatus.State, String> REPAIRED = Map.of(
            MigrationStatus.State.FAILED, "removed",
            MigrationStatus.State.CHANGED, "realigned",
            MigrationStatus.State.MISSING_FILE, "marked deleted");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // --url, --location and --verbose are inherited by `repair`: given before or after it, they land here.
    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "sqlite:path/file.db, postgresql://user@host:5432/db, mariadb://... or mysql://...; "
                    + "default: COVET_DATA_URL, else covet.data.url in ./covet.properties.")
    String url;

    @Option(names = "--location", scope = ScopeType.INHERIT, paramLabel = "LOC",
            description = "Where the migrations are (repeatable): filesystem:dir, classpath:dir or a directory; "
                    + "{vendor} becomes sqlite, postgresql, mariadb or mysql. "
                    + "Default: src/main/resources/db/migration if it exists, else db/migration.")
    List<String> locations = new ArrayList<>();

    @Option(names = "--info", description = "List every migration (version, description, state, when applied); "
            + "change nothing.")
    boolean info;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log what Flyway and the pool do, and show stack traces.")
    boolean verbose;

    // Where COVET_* settings and relative locations are read from: the process's, replaced by tests.
    Map<String, String> environment = System.getenv();
    Path workingDirectory = Path.of("");

    private PasswordMask mask = new PasswordMask(null, Optional.empty());

    /** What this run does: apply the pending migrations, list them ({@code --info}), or repair the history. */
    private enum Mode { MIGRATE, INFO, REPAIR }

    private Mode mode = Mode.MIGRATE;

    /** Bad input: the message says what to pass instead. */
    private static final class UsageProblem extends RuntimeException {
        UsageProblem(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        return run(info ? Mode.INFO : Mode.MIGRATE);
    }

    @Command(name = "repair", mixinStandardHelpOptions = true, description = "Make the history match the files "
            + "again (Flyway's repair): remove the entries of failed migrations, realign the checksums of applied "
            + "files that changed, mark applied migrations whose file is gone as deleted. Runs no migration.")
    int repair() {
        return run(Mode.REPAIR);
    }

    private int run(Mode mode) {
        this.mode = mode;
        if (verbose) {
            // read when the first logger is made, which has not happened yet in a fresh `covet` process
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "info");
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            ExternalConfig config = ExternalConfig.load(environment, Thread.currentThread().getContextClassLoader());
            String dbUrl = databaseUrl(config);
            Optional<String> password = config.get("covet.data.password").map(ExternalConfig.Setting::value);
            mask = new PasswordMask(dbUrl, password);
            List<String> where = locations.isEmpty() ? List.of(defaultLocation()) : locations;
            try (Database db = open(dbUrl)) {
                Migrations migrations = Migrations.locations(checkLocations(where, db).toArray(String[]::new));
                return switch (mode) {
                    case MIGRATE -> migrate(out, migrations, db, dbUrl);
                    case INFO -> printStatus(out, migrations.status(db), dbUrl);
                    case REPAIR -> repair(out, migrations, db, dbUrl);
                };
            }
        } catch (UsageProblem e) {
            return fail(e, 2);
        } catch (IllegalArgumentException e) {
            return fail(e, 2); // an invalid URL or setting: Covet's message names it
        } catch (RuntimeException e) {
            return fail(e, 1);
        } finally {
            out.flush();
        }
    }

    private String databaseUrl(ExternalConfig config) {
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        return config.get("covet.data.url").map(ExternalConfig.Setting::value).filter(v -> !v.isBlank())
                .orElseThrow(() -> new UsageProblem("no database URL: pass --url (e.g. --url sqlite:data/app.db) or "
                        + "set COVET_DATA_URL (or covet.data.url in ./covet.properties)"));
    }

    private String defaultLocation() {
        for (String candidate : DEFAULT_LOCATIONS) {
            if (Files.isDirectory(workingDirectory.resolve(candidate))) {
                return "filesystem:" + workingDirectory.resolve(candidate);
            }
        }
        throw new UsageProblem("no migrations folder: looked for " + String.join(" and ", DEFAULT_LOCATIONS)
                + " in " + workingDirectory.toAbsolutePath().normalize()
                + "; pass --location DIR (or filesystem:DIR, classpath:DIR)");
    }

    /**
     * The locations with relative directories made absolute (against the working directory), each checked to
     * exist: Flyway only warns about a location that does not, then finds nothing to do.
     */
    private List<String> checkLocations(List<String> where, Database db) {
        String vendor = db.dialect().vendor();
        List<String> checked = new ArrayList<>();
        for (String location : where) {
            String resolved = location.replace("{vendor}", vendor);
            boolean exists;
            if (resolved.startsWith("classpath:")) {
                exists = MigrateCommand.class.getClassLoader().getResource(resolved.substring("classpath:".length())) != null;
                checked.add(location);
            } else {
                Path dir = workingDirectory.resolve(resolved.startsWith("filesystem:")
                        ? resolved.substring("filesystem:".length()) : resolved);
                exists = Files.isDirectory(dir);
                checked.add("filesystem:" + dir);
            }
            if (!exists) {
                throw new UsageProblem("the migrations location " + resolved + " does not exist"
                        + (location.equals(resolved) ? "" : " (from " + location + ")")
                        + "; pass --location DIR (or filesystem:DIR, classpath:DIR)");
            }
        }
        return checked;
    }

    private Database open(String dbUrl) {
        // Every covet.data.* setting is read as the server reads it (covet.properties, then COVET_DATA_*), except
        // three the command decides. They go in as environment variables, the layer that wins: the URL chosen
        // above (so --url beats COVET_DATA_URL), a small pool (Flyway uses one connection), and plain JDBC
        // (the pipelined client would be opened for nothing).
        Map<String, String> env = new HashMap<>(environment);
        env.put("COVET_DATA_URL", dbUrl);
        env.put("COVET_DATA_POOL_SIZE", "2");
        env.put("COVET_DATA_PG_CLIENT", "jdbc");
        Database.Builder b = Database.builder().environment(env);
        try {
            return b.build();
        } catch (IllegalStateException e) {
            if (Causes.serverUnreachable(e)) {
                Throwable root = Causes.root(e);
                String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
                throw new IllegalStateException("cannot reach the database server at " + hostPort(dbUrl) + " (" + why
                        + "). Is it running? bin/services starts the local PostgreSQL, MariaDB and Redis.", e);
            }
            throw e;
        }
    }

    private int migrate(PrintWriter out, Migrations migrations, Database db, String dbUrl) {
        long start = System.nanoTime();
        List<MigrationStatus> applied = migrations.applyPending(db);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        int width = applied.stream().mapToInt(m -> m.description().length()).max().orElse(0);
        for (MigrationStatus m : applied) {
            out.printf("applied  %-8s %-" + width + "s  %6d ms%n", label(m), m.description(),
                    m.took().orElseThrow().toMillis());
        }
        out.println(mask.apply(applied.isEmpty()
                ? "covet migrate: " + dbUrl + " is up to date, nothing to apply (" + tookMs + " ms)."
                : "covet migrate: applied " + applied.size() + " migration" + (applied.size() == 1 ? "" : "s")
                        + " to " + dbUrl + " in " + tookMs + " ms."));
        return 0;
    }

    private int printStatus(PrintWriter out, List<MigrationStatus> all, String dbUrl) {
        int width = Math.max("DESCRIPTION".length(), all.stream().mapToInt(m -> m.description().length()).max().orElse(0));
        out.printf("%-8s %-" + width + "s  %-12s %s%n", "VERSION", "DESCRIPTION", "STATE", "APPLIED AT");
        Map<MigrationStatus.State, Integer> counts = new EnumMap<>(MigrationStatus.State.class);
        for (MigrationStatus m : all) {
            counts.merge(m.state(), 1, Integer::sum);
            out.printf("%-8s %-" + width + "s  %-12s %s%n", label(m), m.description(), stateName(m.state()),
                    m.appliedAt().map(WHEN::format).orElse(""));
        }
        StringBuilder summary = new StringBuilder("covet migrate --info: " + all.size() + " migration"
                + (all.size() == 1 ? "" : "s") + " for " + dbUrl);
        counts.forEach((state, n) -> summary.append(", ").append(n).append(' ').append(stateName(state)));
        out.println(mask.apply(summary.append('.').toString()));
        if (counts.containsKey(MigrationStatus.State.CHANGED)) {
            out.println("A file changed after it was applied: `covet migrate` refuses to run until it matches again "
                    + "(put the change in a new migration; `covet migrate repair` accepts the file as it is now, "
                    + "without running it).");
        }
        return 0;
    }

    private int repair(PrintWriter out, Migrations migrations, Database db, String dbUrl) {
        long start = System.nanoTime();
        List<MigrationStatus> repaired = migrations.repair(db);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        Map<MigrationStatus.State, Integer> counts = new EnumMap<>(MigrationStatus.State.class);
        for (MigrationStatus m : repaired) {
            counts.merge(m.state(), 1, Integer::sum);
            out.printf("%-14s %-8s %s%n", REPAIRED.get(m.state()), label(m), m.description());
        }
        if (repaired.isEmpty()) {
            out.println(mask.apply("covet migrate repair: the history of " + dbUrl + " matches the files, "
                    + "nothing to repair (" + tookMs + " ms)."));
            return 0;
        }
        String done = counts.entrySet().stream().map(c -> c.getValue() + " " + REPAIRED.get(c.getKey()))
                .collect(Collectors.joining(", "));
        out.println(mask.apply("covet migrate repair: repaired the history of " + dbUrl + " in " + tookMs + " ms: "
                + done + "."));
        if (counts.containsKey(MigrationStatus.State.FAILED)) {
            out.println("A removed failed migration runs again on the next `covet migrate`: first undo by hand what "
                    + "it did before it failed (MariaDB and MySQL keep those statements), or it may fail on them.");
        }
        if (counts.containsKey(MigrationStatus.State.CHANGED)) {
            out.println("A realigned migration does not run again: the database keeps what the file did when it was "
                    + "applied; put what the edit should change in a new migration.");
        }
        if (counts.containsKey(MigrationStatus.State.MISSING_FILE)) {
            out.println("A migration marked deleted no longer needs its file; what it did stays in the database.");
        }
        return 0;
    }

    private static String label(MigrationStatus m) {
        return m.version().isEmpty() ? "R" : m.version();
    }

    private static String stateName(MigrationStatus.State state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private int fail(RuntimeException e, int exit) {
        PrintWriter err = spec.commandLine().getErr();
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        err.println(mask.apply((mode == Mode.REPAIR ? "covet migrate repair: " : "covet migrate: ")
                + withoutFlywayCliAdvice(message)));
        if (verbose) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(mask.apply(trace.toString()));
        } else if (!(e instanceof UsageProblem)) {
            err.println("(--verbose shows the stack trace)");
        }
        if (e instanceof DataAccessException && mode != Mode.INFO) {
            err.println("`covet migrate --info` lists which migrations are applied now.");
        }
        err.flush();
        return exit;
    }

    /** Flyway's messages are written for its own command line; say what they advise in this one's terms. */
    static String withoutFlywayCliAdvice(String message) {
        return message.replace("Run Flyway with -X option to see the actual statement causing the problem",
                        "the one starting at the line above")
                .replace(" run repair ", " run `covet migrate repair` ")
                .replaceAll("(?m)^Need more flexibility with validation rules\\?.*$\\R?", "")
                .strip();
    }

    /** {@code host:port} of a server URL, with the vendor's default port when it names none. */
    static String hostPort(String dbUrl) {
        String jdbc = DatabaseUrl.parse(dbUrl).jdbcUrl(); // jdbc:vendor://host:port/db?..., the port always there
        return jdbc.substring(jdbc.indexOf("://") + 3).split("[/?]", 2)[0];
    }
}
