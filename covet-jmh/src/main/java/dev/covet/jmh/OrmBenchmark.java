package dev.covet.jmh;

import dev.covet.data.Database;
import dev.covet.data.Id;
import dev.covet.data.PgClient;
import dev.covet.data.Repository;
import dev.covet.data.Table;
import dev.covet.data.Where;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the ORM costs over hand-written JDBC (issue 4: at most 10 %): a get by primary key and a
 * 100-row list, on a 10,000-row {@code world} table in SQLite (a temp file, in-process, so the ORM's
 * share is at its largest) or the PostgreSQL on this machine (a fresh database, dropped after).
 *
 * <p>{@code -p database=}: {@code sqlite}; {@code postgresql}, where Covet sends through pgjdbc too
 * ({@link PgClient#JDBC}), so the ORM's own cost is what differs; {@code postgresql-pipelined}, Covet's
 * default PostgreSQL client, where {@code *Orm} and {@code *Sql} also pay the hop to the client's event
 * loop and back: a cost for one caller at a time, which pays off when many requests share connections
 * (docs/adr/0007).
 *
 * <p>{@code *Orm} goes through {@link Repository#get} and the query builder; {@code *Sql} through
 * {@link Database#queryOne}/{@link Database#query} with a record mapped by Covet; {@code *Jdbc} is
 * hand-written: a connection from the same HikariCP pool ({@link Database#dataSource()}), a
 * {@link PreparedStatement}, and a record built by hand from {@code rs.getLong}/{@code rs.getInt}. The
 * ids cycle through the table. {@link #setUp} fails the run unless all three give the same rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OrmBenchmark {
    static final int ROWS = 10_000;
    static final String GET_SQL = "SELECT id, random_number FROM world WHERE id = ?";
    static final String LIST_SQL = "SELECT id, random_number FROM world WHERE id > ? ORDER BY id ASC LIMIT ?";

    @Table("world")
    public record World(@Id long id, int randomNumber) { }

    @Param({"sqlite", "postgresql", "postgresql-pipelined"})
    public String database;

    private Database db;
    private DataSource pool;
    private Repository<World, Long> worlds;
    private Path sqliteDir;
    private String pgName;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String url;
        if (database.equals("sqlite")) {
            sqliteDir = Files.createTempDirectory("covet-jmh-");
            url = "sqlite:" + sqliteDir.resolve("world.db");
        } else {
            pgName = "covet_jmh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            pgAdmin("postgres", "CREATE DATABASE " + pgName);
            url = "postgresql://postgres@127.0.0.1:5432/" + pgName;
        }
        db = Database.builder().url(url).loadExternal(false).poolSize(4)
                .pgClient(database.equals("postgresql-pipelined") ? PgClient.PIPELINED : PgClient.JDBC).build();
        db.update("CREATE TABLE world (id INTEGER PRIMARY KEY, random_number INTEGER NOT NULL)");
        db.batch("INSERT INTO world (id, random_number) VALUES (?, ?)",
                IntStream.rangeClosed(1, ROWS).mapToObj(i -> List.of(i, (i * 7919) % 10_000)).toList());
        if (database.equals("sqlite")) {
            db.update("ANALYZE");
        } else {
            // Vacuumed, analysed and checkpointed now, so that neither autovacuum (10,000 fresh inserts
            // call for one) nor a checkpoint of these pages runs inside a measured iteration.
            pgAdmin(pgName, "VACUUM ANALYZE world", "CHECKPOINT");
        }
        pool = db.dataSource();
        worlds = db.repository(World.class);
        for (long id : new long[] {1, 4_321, ROWS}) {
            World orm = worlds.get(id).orElseThrow();
            if (!orm.equals(getJdbc(id)) || !orm.equals(db.queryOne(GET_SQL, World.class, id).orElseThrow())) {
                throw new IllegalStateException("ORM, SQL and JDBC disagree on world " + id);
            }
        }
        List<World> orm = list100Orm(5_000);
        if (orm.size() != 100 || !orm.equals(list100Jdbc(5_000)) || !orm.equals(db.query(LIST_SQL, World.class, 5_000, 100))) {
            throw new IllegalStateException("ORM, SQL and JDBC disagree on the 100-row list");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        db.close();
        if (sqliteDir != null) {
            try (var files = Files.walk(sqliteDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (pgName != null) {
            pgAdmin("postgres", "DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
        }
    }

    /** Runs {@code sql} in {@code dbName} as the superuser, outside any transaction (VACUUM, CREATE DATABASE need that). */
    private static void pgAdmin(String dbName, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + dbName + "?user=postgres");
             Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    private long nextId() {
        next = next % ROWS + 1;
        return next;
    }

    private long nextListStart() {
        next = (next + 100) % (ROWS - 100);
        return next;
    }

    @Benchmark
    public World getByIdOrm() {
        return worlds.get(nextId()).orElseThrow();
    }

    @Benchmark
    public World getByIdSql() {
        return db.queryOne(GET_SQL, World.class, nextId()).orElseThrow();
    }

    @Benchmark
    public World getByIdJdbc() throws SQLException {
        return getJdbc(nextId());
    }

    @Benchmark
    public List<World> list100Orm() {
        return list100Orm(nextListStart());
    }

    @Benchmark
    public List<World> list100Sql() {
        return db.query(LIST_SQL, World.class, nextListStart(), 100);
    }

    @Benchmark
    public List<World> list100Jdbc() throws SQLException {
        return list100Jdbc(nextListStart());
    }

    private List<World> list100Orm(long after) {
        return worlds.query().where(Where.gt(World::id, after)).orderBy(World::id).limit(100).list();
    }

    private World getJdbc(long id) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(GET_SQL)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no world " + id);
                }
                return new World(rs.getLong(1), rs.getInt(2));
            }
        }
    }

    private List<World> list100Jdbc(long after) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(LIST_SQL)) {
            ps.setLong(1, after);
            ps.setInt(2, 100);
            List<World> out = new ArrayList<>(100);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new World(rs.getLong(1), rs.getInt(2)));
                }
            }
            return out;
        }
    }
}
