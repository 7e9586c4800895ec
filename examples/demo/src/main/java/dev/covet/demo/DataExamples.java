package dev.covet.demo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.covet.Context;
import dev.covet.Covet;
import dev.covet.RouteOptions;
import dev.covet.StartupTask;
import dev.covet.data.AsyncSql;
import dev.covet.data.Database;
import dev.covet.data.Migrations;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The TechEmpower database endpoints: {@code /db}, {@code /queries}, {@code /fortunes}, {@code /updates}
 * and {@code /cached-queries}, on SQLite ({@code ./data/covet-demo.db}, no set-up) or on the database
 * named by {@code COVET_DATA_URL}. Tables come from a Flyway migration; World is seeded when empty.
 *
 * <p>All of that happens in a {@link StartupTask} after the server listens, so /plaintext and the other
 * routes answer from the first moment (docs/data.md, "Migrating while the server starts").
 *
 * <p>Two settings exist for the benchmark harness, which creates and seeds its own database:
 * {@code DEMO_DATA_PREPARED=true} skips the migration and the seeding (the tables are someone else's),
 * and {@code DEMO_WORLD_ROWS} (default 10,000, TechEmpower's size) is the range random World ids are
 * drawn from, so a larger World table is actually read. {@code randomNumber} stays in 1..10,000.
 * {@code DEMO_NON_BLOCKING=true} (as for /plaintext and /json) serves the four TechEmpower database
 * endpoints on the I/O thread with {@code ctx.future} and {@code db.async()}, so both styles can be measured.
 * In both styles PostgreSQL's pipelined client runs on the app's I/O threads, unless
 * {@code DEMO_SHARED_IO_THREADS=false} gives it its own event loop (for comparison).
 */
public final class DataExamples {
    static final String DEFAULT_URL = "sqlite:data/covet-demo.db";
    static final int WORLD_ROWS = 10_000;
    /** TechEmpower's range of {@code randomNumber}, whatever the size of the table. */
    static final int RANDOM_NUMBER_MAX = 10_000;
    private static final String HTML = "text/html; charset=utf-8";

    private DataExamples() { }

    /** A World row; the JSON field is {@code randomNumber} as the benchmark asks. */
    public record World(int id, int randomNumber) { }

    /** A Fortune row. */
    public record Fortune(int id, String message) { }

    /** What the database routes need, prepared in the background once the server listens. */
    record Prepared(Database db, WorldIds ids, Cache<Integer, World> cache, TemplateEngine templates) {

        /**
         * Applies the migrations and seeds World when empty (unless {@code seeded}: the tables are someone
         * else's), then fills the cache: the slow part of start-up.
         */
        static Prepared from(Database db, int worldRows, boolean seeded) {
            if (!seeded) {
                Migrations.run(db);
                seedWorld(db);
            }
            Cache<Integer, World> cache = Caffeine.newBuilder().maximumSize(worldRows).build();
            for (World w : db.query("SELECT id, randomnumber FROM world", World.class)) {
                cache.put(w.id(), w);
            }
            return new Prepared(db, new WorldIds(worldRows), cache, TemplateEngine.createPrecompiled(ContentType.Html));
        }
    }

    private static final String SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = ?";
    private static final String SELECT_FORTUNES = "SELECT id, message FROM fortune";
    private static final String UPDATE_WORLD = "UPDATE world SET randomnumber = ? WHERE id = ?";

    static void register(Covet app) {
        boolean seeded = Boolean.parseBoolean(System.getenv().getOrDefault("DEMO_DATA_PREPARED", "false"));
        int rows = Integer.parseInt(System.getenv().getOrDefault("DEMO_WORLD_ROWS", Integer.toString(WORLD_ROWS)));
        boolean sharedIoThreads = Boolean.parseBoolean(System.getenv().getOrDefault("DEMO_SHARED_IO_THREADS", "true"));
        // PostgreSQL's pipelined client runs on the app's I/O threads (ADR 0010). Non-blocking, a request, its
        // statement and its response share one thread; blocking, the handler's virtual thread hands off to one
        // thread instead of two. The app is started when this runs: it is a startup task.
        StartupTask.Work<Database> open = sharedIoThreads
                ? () -> Database.builder().url(DEFAULT_URL).ioThreadsOf(app).build()
                : () -> Database.create(DEFAULT_URL);
        register(app, open, rows, seeded, DemoApp.nonBlocking());
    }

    static StartupTask<Prepared> register(Covet app, StartupTask.Work<Database> open) {
        return register(app, open, WORLD_ROWS, false, false);
    }

    /**
     * Adds the routes; the database is opened and migrated by a startup task once the server listens, and
     * until then (or for good, if the migration fails) these routes answer 503 problem+json.
     *
     * @param worldRows   ids of random World rows are drawn from 1..worldRows
     * @param seeded      the tables exist and are seeded by someone else: neither migrate nor seed
     * @param nonBlocking {@code /db}, {@code /queries}, {@code /fortunes} and {@code /updates} run on the I/O
     *                    thread and answer through {@code ctx.future} with {@code db.async()}; otherwise they
     *                    block on a virtual thread, Covet's default
     */
    static StartupTask<Prepared> register(Covet app, StartupTask.Work<Database> open, int worldRows, boolean seeded,
                                          boolean nonBlocking) {
        if (worldRows < 1) {
            throw new IllegalArgumentException("DEMO_WORLD_ROWS must be at least 1, was " + worldRows);
        }
        StartupTask<Prepared> data = app.startupTask("database", () -> Prepared.from(open.run(), worldRows, seeded));
        if (nonBlocking) {
            nonBlockingRoutes(app, data);
        } else {
            blockingRoutes(app, data);
        }
        app.get("/cached-queries", ctx -> {
            Prepared prepared = data.get();
            int n = count(ctx, "count");
            List<World> worlds = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int id = prepared.ids().next();
                worlds.add(prepared.cache().get(id, k -> prepared.db().queryOne(SELECT_WORLD,
                        World.class, k).orElseThrow()));
            }
            ctx.json(worlds);
        });
        return data;
    }

    /** The default style: each handler blocks on its virtual thread until the database answers. */
    private static void blockingRoutes(Covet app, StartupTask<Prepared> data) {
        app.get("/db", ctx -> {
            Prepared prepared = data.get();
            ctx.json(prepared.db().queryOne(SELECT_WORLD, World.class, prepared.ids().next()).orElseThrow());
        });
        app.get("/queries", ctx -> {
            Prepared prepared = data.get();
            ctx.json(found(prepared.db().queryOneEach(SELECT_WORLD, World.class, randomIds(prepared, count(ctx, "queries")))));
        });
        app.get("/fortunes", ctx -> {
            Prepared prepared = data.get();
            ctx.contentType(HTML).bytes(fortunesPage(prepared, prepared.db().query(SELECT_FORTUNES, Fortune.class)));
        });
        app.get("/updates", ctx -> {
            Prepared prepared = data.get();
            List<World> worlds = changed(found(prepared.db().queryOneEach(SELECT_WORLD, World.class,
                    randomIds(prepared, count(ctx, "queries")))));
            prepared.db().batch(UPDATE_WORLD, updateRows(worlds));
            ctx.json(worlds);
        });
    }

    /**
     * The same endpoints on the I/O thread: each handler sends its statements and returns; the response
     * goes out when the database has answered ({@code ctx.future}, docs/threading.md). On PostgreSQL's
     * pipelined client no virtual thread is involved; with the client on the app's I/O threads ({@link #register})
     * the request, its statement, the answer and the response share one thread.
     */
    private static void nonBlockingRoutes(Covet app, StartupTask<Prepared> data) {
        RouteOptions nonBlocking = RouteOptions.create().nonBlocking();
        app.get("/db", ctx -> {
            Prepared prepared = data.get();
            ctx.future(prepared.db().async().queryOne(SELECT_WORLD, World.class, prepared.ids().next())
                    .thenAccept(world -> ctx.json(world.orElseThrow())));
        }, nonBlocking);
        app.get("/queries", ctx -> {
            Prepared prepared = data.get();
            ctx.future(prepared.db().async().queryOneEach(SELECT_WORLD, World.class, randomIds(prepared, count(ctx, "queries")))
                    .thenAccept(worlds -> ctx.json(found(worlds))));
        }, nonBlocking);
        app.get("/fortunes", ctx -> {
            Prepared prepared = data.get();
            ctx.future(prepared.db().async().query(SELECT_FORTUNES, Fortune.class)
                    .thenAccept(fortunes -> ctx.contentType(HTML).bytes(fortunesPage(prepared, fortunes))));
        }, nonBlocking);
        app.get("/updates", ctx -> {
            Prepared prepared = data.get();
            AsyncSql db = prepared.db().async();
            ctx.future(db.queryOneEach(SELECT_WORLD, World.class, randomIds(prepared, count(ctx, "queries")))
                    .thenCompose(found -> {
                        List<World> worlds = changed(found(found));
                        return db.batch(UPDATE_WORLD, updateRows(worlds)).thenAccept(counts -> ctx.json(worlds));
                    }));
        }, nonBlocking);
    }

    /** The page: all fortunes plus one added now, sorted by message, as UTF-8 bytes straight from the template. */
    private static byte[] fortunesPage(Prepared prepared, List<Fortune> stored) {
        List<Fortune> fortunes = new ArrayList<>(stored.size() + 1);
        fortunes.addAll(stored);
        fortunes.add(new Fortune(0, "Additional fortune added at request time."));
        fortunes.sort(Comparator.comparing(Fortune::message));
        // its markup was encoded at build time (binaryStaticContent): no UTF-16 builder, no String to encode
        Utf8HtmlOutput out = new Utf8HtmlOutput(2048);
        prepared.templates().render("fortunes.jte", fortunes, out);
        return out.toByteArray();
    }

    /**
     * {@code n} random ids, as parameter rows of {@link #SELECT_WORLD}: one query each (as TechEmpower
     * requires), sent together by {@code queryOneEach}, so on PostgreSQL's pipelined client the {@code n}
     * queries share one round trip instead of taking one each.
     */
    private static List<List<Integer>> randomIds(Prepared prepared, int n) {
        List<List<Integer>> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            params.add(List.of(prepared.ids().next()));
        }
        return params;
    }

    private static List<World> found(List<Optional<World>> lookups) {
        List<World> worlds = new ArrayList<>(lookups.size());
        for (Optional<World> world : lookups) {
            worlds.add(world.orElseThrow());
        }
        return worlds;
    }

    /** Each world with a new random number. */
    private static List<World> changed(List<World> worlds) {
        List<World> out = new ArrayList<>(worlds.size());
        for (World w : worlds) {
            out.add(new World(w.id(), randomNumber()));
        }
        return out;
    }

    /** Parameter rows of {@link #UPDATE_WORLD}, sorted by id so that concurrent requests lock rows in the same order (no deadlocks). */
    private static List<List<Object>> updateRows(List<World> worlds) {
        return worlds.stream().sorted(Comparator.comparingInt(World::id))
                .map(w -> List.<Object>of(w.randomNumber(), w.id())).toList();
    }

    /** Random World ids in 1..rows. */
    record WorldIds(int rows) {
        int next() {
            return ThreadLocalRandom.current().nextInt(1, rows + 1);
        }
    }

    private static int randomNumber() {
        return ThreadLocalRandom.current().nextInt(1, RANDOM_NUMBER_MAX + 1);
    }

    /** The benchmark's rule: missing or not a number is 1; clamped to 1..500. */
    static int count(Context ctx, String name) {
        try {
            return Math.clamp(Integer.parseInt(ctx.queryParam(name).orElse("1").trim()), 1, 500);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void seedWorld(Database db) {
        if (db.queryOne("SELECT COUNT(*) FROM world", Long.class).orElse(0L) > 0) {
            return;
        }
        List<List<?>> rows = new ArrayList<>(WORLD_ROWS);
        for (int id = 1; id <= WORLD_ROWS; id++) {
            rows.add(List.of(id, randomNumber()));
        }
        db.batch("INSERT INTO world (id, randomnumber) VALUES (?, ?)", rows);
    }
}
