package dev.covet.demo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.covet.Context;
import dev.covet.Covet;
import dev.covet.StartupTask;
import dev.covet.data.Database;
import dev.covet.data.Migrations;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
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

    static void register(Covet app) {
        boolean seeded = Boolean.parseBoolean(System.getenv().getOrDefault("DEMO_DATA_PREPARED", "false"));
        int rows = Integer.parseInt(System.getenv().getOrDefault("DEMO_WORLD_ROWS", Integer.toString(WORLD_ROWS)));
        register(app, () -> Database.create(DEFAULT_URL), rows, seeded);
    }

    static StartupTask<Prepared> register(Covet app, StartupTask.Work<Database> open) {
        return register(app, open, WORLD_ROWS, false);
    }

    /**
     * Adds the routes; the database is opened and migrated by a startup task once the server listens, and
     * until then (or for good, if the migration fails) these routes answer 503 problem+json.
     *
     * @param worldRows ids of random World rows are drawn from 1..worldRows
     * @param seeded    the tables exist and are seeded by someone else: neither migrate nor seed
     */
    static StartupTask<Prepared> register(Covet app, StartupTask.Work<Database> open, int worldRows, boolean seeded) {
        if (worldRows < 1) {
            throw new IllegalArgumentException("DEMO_WORLD_ROWS must be at least 1, was " + worldRows);
        }
        StartupTask<Prepared> data = app.startupTask("database", () -> Prepared.from(open.run(), worldRows, seeded));

        app.get("/db", ctx -> {
            Prepared prepared = data.get();
            ctx.json(randomWorld(prepared.db(), prepared.ids()));
        });
        app.get("/queries", ctx -> {
            Prepared prepared = data.get();
            ctx.json(randomWorlds(prepared.db(), prepared.ids(), count(ctx, "queries")));
        });
        app.get("/fortunes", ctx -> {
            Prepared prepared = data.get();
            List<Fortune> fortunes = new ArrayList<>(prepared.db().query("SELECT id, message FROM fortune", Fortune.class));
            fortunes.add(new Fortune(0, "Additional fortune added at request time."));
            fortunes.sort(Comparator.comparing(Fortune::message));
            // UTF-8 bytes straight from the template: its markup was encoded at build time (binaryStaticContent)
            Utf8ByteOutput out = new Utf8ByteOutput();
            prepared.templates().render("fortunes.jte", fortunes, out);
            ctx.contentType(HTML).bytes(out.toByteArray());
        });
        app.get("/updates", ctx -> {
            Prepared prepared = data.get();
            Database db = prepared.db();
            List<World> worlds = new ArrayList<>();
            for (World w : randomWorlds(db, prepared.ids(), count(ctx, "queries"))) {
                worlds.add(new World(w.id(), randomNumber()));
            }
            // sorted by id so that concurrent requests lock rows in the same order (no deadlocks)
            List<List<Object>> rows = worlds.stream().sorted(Comparator.comparingInt(World::id))
                    .map(w -> List.<Object>of(w.randomNumber(), w.id())).toList();
            db.batch("UPDATE world SET randomnumber = ? WHERE id = ?", rows);
            ctx.json(worlds);
        });
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

    private static World randomWorld(Database db, WorldIds ids) {
        return db.queryOne(SELECT_WORLD, World.class, ids.next()).orElseThrow();
    }

    /**
     * {@code n} random rows, one query each (as TechEmpower requires), sent together: on PostgreSQL's
     * pipelined client the {@code n} queries share one round trip instead of taking one each.
     */
    private static List<World> randomWorlds(Database db, WorldIds ids, int n) {
        List<List<Integer>> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            params.add(List.of(ids.next()));
        }
        List<World> worlds = new ArrayList<>(n);
        for (Optional<World> world : db.queryOneEach(SELECT_WORLD, World.class, params)) {
            worlds.add(world.orElseThrow());
        }
        return worlds;
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
