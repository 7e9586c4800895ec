package dev.covet.peers.vertx;

import dev.covet.peers.jdbc.Fortune;
import dev.covet.peers.jdbc.FortunesPage;
import dev.covet.peers.jdbc.PeerDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TechEmpower's database routes the way Vert.x's own TechEmpower entry serves them: the reactive PostgreSQL
 * client, pipelined ({@value #PIPELINING_LIMIT} commands in flight), with prepared statements cached on the
 * connection, one connection per verticle (so one per event loop) on the verticle's own event loop.
 * A {@code /queries} request sends all its SELECTs at once, down the one connection; {@code /updates} reads each
 * row the same way, then writes all of them as one batch in id order.
 */
final class DatabaseRoutes {
    /** Commands one connection may have in flight: high, as the TechEmpower entry sets it, so nothing waits for a round trip. */
    static final int PIPELINING_LIMIT = 100_000;
    private static final CharSequence TEXT_HTML_UTF8 = HttpHeaders.createOptimized("text/html; charset=utf-8");

    private final SqlClient client;
    private final PreparedQuery<RowSet<Row>> selectWorld;
    private final PreparedQuery<RowSet<Row>> updateWorld;
    private final PreparedQuery<RowSet<Row>> selectFortunes;

    /** Whether /queries and /updates send their SELECTs as one batch (one write, one Sync). */
    private final boolean selectBatch;

    /**
     * Called from the verticle's start: the client belongs to that verticle's event loop. {@code selectBatch}:
     * {@code /queries} and {@code /updates} send their SELECTs as one {@code executeBatch} (one write, one Sync)
     * rather than one pipelined statement each (what Vert.x's TechEmpower entry does, and the default).
     */
    DatabaseRoutes(Vertx vertx, String dataUrl, boolean selectBatch) {
        this.selectBatch = selectBatch;
        PgConnectOptions connect = PgConnectOptions.fromUri(dataUrl.trim())
                .setCachePreparedStatements(true)
                .setPipeliningLimit(PIPELINING_LIMIT);
        this.client = PgBuilder.client().with(new PoolOptions().setMaxSize(1)).connectingTo(connect).using(vertx).build();
        this.selectWorld = client.preparedQuery("SELECT id, randomnumber FROM world WHERE id = $1");
        this.updateWorld = client.preparedQuery("UPDATE world SET randomnumber = $1 WHERE id = $2");
        this.selectFortunes = client.preparedQuery("SELECT id, message FROM fortune");
    }

    void mount(Router router) {
        router.get("/db").handler(this::db);
        router.get("/queries").handler(ctx -> worlds(ctx, false));
        router.get("/updates").handler(ctx -> worlds(ctx, true));
        router.get("/fortunes").handler(this::fortunes);
    }

    private void db(RoutingContext ctx) {
        selectWorld.execute(Tuple.of(randomId())).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else {
                Row row = ar.result().iterator().next();
                ctx.json(world(row.getInteger(0), row.getInteger(1)));
            }
        });
    }

    /** {@code /queries} and {@code /updates}: every SELECT sent at once; the answer (or the batch) once all are back. */
    private void worlds(RoutingContext ctx, boolean update) {
        int count = PeerDatabase.queries(ctx.request().getParam("queries"));
        if (selectBatch) {
            worldsInOneBatch(ctx, count, update);
            return;
        }
        int[][] worlds = new int[count][];
        int[] done = {0};
        boolean[] failed = {false};
        for (int i = 0; i < count; i++) {
            int index = i;
            selectWorld.execute(Tuple.of(randomId())).onComplete(ar -> {
                if (failed[0]) {
                    return;
                }
                if (ar.failed()) {
                    failed[0] = true;
                    ctx.fail(ar.cause());
                    return;
                }
                Row row = ar.result().iterator().next();
                worlds[index] = new int[] {row.getInteger(0), row.getInteger(1)};
                if (++done[0] == count) {
                    answer(ctx, worlds, update);
                }
            });
        }
    }

    private void worldsInOneBatch(RoutingContext ctx, int count, boolean update) {
        List<Tuple> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(Tuple.of(randomId()));
        }
        selectWorld.executeBatch(ids).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            int[][] worlds = new int[count][];
            RowSet<Row> rows = ar.result();
            for (int i = 0; i < count; i++, rows = rows.next()) {
                Row row = rows.iterator().next();
                worlds[i] = new int[] {row.getInteger(0), row.getInteger(1)};
            }
            answer(ctx, worlds, update);
        });
    }

    /** {@code /queries} answers the rows read; {@code /updates} writes new numbers first. */
    private void answer(RoutingContext ctx, int[][] worlds, boolean update) {
        if (update) {
            write(ctx, worlds);
        } else {
            ctx.json(array(worlds));
        }
    }

    private void write(RoutingContext ctx, int[][] worlds) {
        for (int[] w : worlds) {
            int number;
            do {
                number = randomId();
            } while (number == w[1]);
            w[1] = number;
        }
        int[][] inIdOrder = worlds.clone();
        Arrays.sort(inIdOrder, Comparator.comparingInt(w -> w[0])); // concurrent batches cannot deadlock
        List<Tuple> batch = new ArrayList<>(worlds.length);
        for (int[] w : inIdOrder) {
            batch.add(Tuple.of(w[1], w[0]));
        }
        updateWorld.executeBatch(batch).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else {
                ctx.json(array(worlds));
            }
        });
    }

    private void fortunes(RoutingContext ctx) {
        selectFortunes.execute().onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            List<Fortune> fortunes = new ArrayList<>(16);
            for (Row row : ar.result()) {
                fortunes.add(new Fortune(row.getInteger(0), row.getString(1)));
            }
            fortunes.add(new Fortune(0, PeerDatabase.ADDED_FORTUNE));
            fortunes.sort(Comparator.comparing(Fortune::message));
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT_HTML_UTF8).end(FortunesPage.render(fortunes));
        });
    }

    private static JsonArray array(int[][] worlds) {
        JsonArray array = new JsonArray(new ArrayList<>(worlds.length));
        for (int[] w : worlds) {
            array.add(world(w[0], w[1]));
        }
        return array;
    }

    private static JsonObject world(int id, int randomNumber) {
        return new JsonObject().put("id", id).put("randomNumber", randomNumber);
    }

    private static int randomId() {
        return ThreadLocalRandom.current().nextInt(1, PeerDatabase.WORLD_ROWS + 1);
    }
}
