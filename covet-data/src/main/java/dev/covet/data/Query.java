package dev.covet.data;

import dev.covet.data.internal.RecordShape.Kind;
import dev.covet.data.internal.RecordShape.Part;
import dev.covet.data.internal.RowMapper;
import dev.covet.data.internal.ValueConversion;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A query over one entity's table, built step by step and run by {@link #list()}, {@link #first()},
 * {@link #count()}, {@link #exists()}, {@link #page}, or an aggregate. A query is a builder: not
 * thread-safe, reusable once built.
 *
 * <p>Relations are loaded only when asked with {@link #prefetch}, and each prefetched relation costs
 * exactly one more statement however many rows the query returns: the keys of all rows go into one
 * bound parameter (see {@code SqlText.inList}).
 */
public final class Query<T> {
    private final Repository<T, ?> repo;
    private final List<Condition<T>> conditions = new ArrayList<>();
    private final List<String> orderBy = new ArrayList<>();
    private final List<String> prefetch = new ArrayList<>();
    private long limit = -1;
    private long offset;

    Query(Repository<T, ?> repo) {
        this.repo = repo;
    }

    /** Adds a condition; several {@code where} calls are ANDed. */
    public Query<T> where(Condition<T> condition) {
        conditions.add(condition);
        return this;
    }

    /** Sorts ascending by a component (several calls sort by each in turn). */
    public Query<T> orderBy(Property<T, ?> property) {
        orderBy.add(Where.column(repo.model, property.componentName(), repo.dialect) + " ASC");
        return this;
    }

    /** Sorts descending by a component. */
    public Query<T> orderByDesc(Property<T, ?> property) {
        orderBy.add(Where.column(repo.model, property.componentName(), repo.dialect) + " DESC");
        return this;
    }

    /** At most {@code n} rows. */
    public Query<T> limit(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + n);
        }
        this.limit = n;
        return this;
    }

    /** Skips the first {@code n} rows (use with {@link #orderBy}, or the order is the database's whim). */
    public Query<T> offset(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + n);
        }
        this.offset = n;
        return this;
    }

    /**
     * Loads a relation ({@link ManyToOne}, {@link OneToMany} or {@link ManyToMany} component) for all
     * rows with one extra statement.
     *
     * @throws IllegalArgumentException if the component is not a relation
     */
    public Query<T> prefetch(Property<T, ?> relation) {
        String name = relation.componentName();
        if (repo.model.shape.part(name).kind() == Kind.VALUE) {
            throw new IllegalArgumentException(name + " is not a relation");
        }
        prefetch.add(name);
        return this;
    }

    /** Every matching row, with the prefetched relations. */
    public List<T> list() {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(repo.selectColumns).append(" FROM ")
                .append(repo.q(repo.model.table));
        appendWhere(sql, params);
        if (!orderBy.isEmpty()) {
            sql.append(" ORDER BY ").append(String.join(", ", orderBy));
        }
        if (limit >= 0 || offset > 0) {
            sql.append(" LIMIT ?");
            params.add(limit >= 0 ? limit : Long.MAX_VALUE);
            if (offset > 0) {
                sql.append(" OFFSET ?");
                params.add(offset);
            }
        }
        List<T> rows = repo.db.query(sql.toString(), repo.model.type(), params.toArray());
        for (String relation : prefetch) {
            rows = load(rows, repo.model.shape.part(relation));
        }
        return rows;
    }

    /** The first matching row. */
    public Optional<T> first() {
        long saved = limit;
        limit = 1;
        try {
            List<T> rows = list();
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
        } finally {
            limit = saved;
        }
    }

    /** The number of matching rows (limit and offset ignored). */
    public long count() {
        return aggregate("COUNT(*)", Long.class).orElse(0L);
    }

    /** Whether any row matches. */
    public boolean exists() {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT 1 FROM ").append(repo.q(repo.model.table));
        appendWhere(sql, params);
        sql.append(" LIMIT 1");
        return !repo.db.query(sql.toString(), Integer.class, params.toArray()).isEmpty();
    }

    /** The smallest value of a component among matching rows; empty when none match. */
    @SuppressWarnings("unchecked")
    public <V> Optional<V> min(Property<T, V> property) {
        return aggregate("MIN", property);
    }

    /** The largest value of a component among matching rows; empty when none match. */
    public <V> Optional<V> max(Property<T, V> property) {
        return aggregate("MAX", property);
    }

    /** The sum of a numeric component over matching rows; empty when none match. */
    public Optional<BigDecimal> sum(Property<T, ? extends Number> property) {
        return aggregate("SUM(" + Where.column(repo.model, property.componentName(), repo.dialect) + ")", BigDecimal.class);
    }

    /** The mean of a numeric component over matching rows; empty when none match. */
    public OptionalDouble avg(Property<T, ? extends Number> property) {
        Optional<Double> v = aggregate("AVG(" + Where.column(repo.model, property.componentName(), repo.dialect) + ")",
                Double.class);
        return v.map(OptionalDouble::of).orElse(OptionalDouble.empty());
    }

    /**
     * Page {@code page} (from 1) of {@code size} rows, with the total count: two statements (plus
     * prefetches).
     */
    public Page<T> page(int page, int size) {
        if (page < 1 || size < 1) {
            throw new IllegalArgumentException("page and size must be >= 1, were " + page + " and " + size);
        }
        long total = count();
        long savedLimit = limit;
        long savedOffset = offset;
        limit = size;
        offset = (long) (page - 1) * size;
        try {
            return new Page<>(list(), page, size, total);
        } finally {
            limit = savedLimit;
            offset = savedOffset;
        }
    }

    @SuppressWarnings("unchecked")
    private <V> Optional<V> aggregate(String function, Property<T, V> property) {
        Part part = repo.model.shape.part(property.componentName());
        Class<?> type = part.kind() == Kind.REF ? Object.class : ValueConversion.boxed(part.type());
        return (Optional<V>) aggregate(function + "(" + Where.column(repo.model, part.name(), repo.dialect) + ")", type);
    }

    private <R> Optional<R> aggregate(String expression, Class<R> type) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(expression).append(" FROM ")
                .append(repo.q(repo.model.table));
        appendWhere(sql, params);
        return repo.db.queryOne(sql.toString(), type, params.toArray());
    }

    private void appendWhere(StringBuilder sql, List<Object> params) {
        if (conditions.isEmpty()) {
            return;
        }
        sql.append(" WHERE ");
        for (int i = 0; i < conditions.size(); i++) {
            if (i > 0) {
                sql.append(" AND ");
            }
            conditions.get(i).renderer.render(repo.model, repo.dialect, sql, params);
        }
    }

    // ---- prefetch --------------------------------------------------------------------------------

    private List<T> load(List<T> rows, Part relation) {
        if (rows.isEmpty()) {
            return rows;
        }
        int index = repo.model.shape.indexOf(relation);
        if (relation.kind() == Kind.REF) {
            return loadReferences(rows, relation, index);
        }
        OneToMany oneToMany = relation.component().getAnnotation(OneToMany.class);
        ManyToMany manyToMany = relation.component().getAnnotation(ManyToMany.class);
        Map<Object, List<Object>> byOwner;
        if (oneToMany != null) {
            byOwner = loadChildren(rows, relation, oneToMany);
        } else if (manyToMany != null) {
            byOwner = loadThroughJoinTable(rows, relation, manyToMany);
        } else {
            throw new IllegalArgumentException(relation.name() + " needs @OneToMany or @ManyToMany");
        }
        List<T> out = new ArrayList<>(rows.size());
        for (T row : rows) {
            Object[] values = repo.model.shape.values(row);
            values[index] = Many.of(byOwner.getOrDefault(idOf(row), List.of()));
            out.add(repo.model.shape.construct(values));
        }
        return out;
    }

    private List<T> loadReferences(List<T> rows, Part relation, int index) {
        Set<Object> ids = new LinkedHashSet<>();
        for (T row : rows) {
            Ref<?> ref = (Ref<?>) repo.model.shape.read(relation, row);
            if (ref != null) {
                ids.add(ref.id());
            }
        }
        Repository<?, ?> target = repo.db.repository(relation.elementType());
        Map<Object, Object> byId = new HashMap<>();
        for (Object entity : target.byColumnIn(target.model.id, ids)) {
            byId.put(idOf(target.model, entity), entity);
        }
        List<T> out = new ArrayList<>(rows.size());
        for (T row : rows) {
            Ref<?> ref = (Ref<?>) repo.model.shape.read(relation, row);
            Object[] values = repo.model.shape.values(row);
            if (ref != null && byId.containsKey(ref.id())) {
                values[index] = Ref.loaded(ref.id(), byId.get(ref.id()));
            }
            out.add(repo.model.shape.construct(values));
        }
        return out;
    }

    private Map<Object, List<Object>> loadChildren(List<T> rows, Part relation, OneToMany annotation) {
        Repository<?, ?> children = repo.db.repository(relation.elementType());
        Part back = children.model.shape.part(annotation.mappedBy());
        if (back.kind() != Kind.REF) {
            throw new IllegalArgumentException("mappedBy '" + annotation.mappedBy() + "' of " + relation.name()
                    + " must name a Ref component of " + relation.elementType().getSimpleName());
        }
        Map<Object, List<Object>> byOwner = new HashMap<>();
        for (Object child : children.byColumnIn(back, ids(rows))) {
            Ref<?> ref = (Ref<?>) readAny(children.model, back, child);
            byOwner.computeIfAbsent(ref.id(), k -> new ArrayList<>()).add(child);
        }
        return byOwner;
    }

    private Map<Object, List<Object>> loadThroughJoinTable(List<T> rows, Part relation, ManyToMany m) {
        Repository<?, ?> other = repo.db.repository(relation.elementType());
        String join = repo.q(dev.covet.data.internal.Names.checkIdentifier(m.joinTable(), "joinTable"));
        String ownerColumn = repo.q(dev.covet.data.internal.Names.checkIdentifier(m.joinColumn(), "joinColumn"));
        String inverse = repo.q(dev.covet.data.internal.Names.checkIdentifier(m.inverseColumn(), "inverseColumn"));
        StringBuilder sql = new StringBuilder("SELECT j.").append(ownerColumn).append(" AS covet_owner, ");
        for (Part p : other.model.columns) {
            sql.append("t.").append(repo.q(p.column())).append(", ");
        }
        sql.setLength(sql.length() - 2);
        sql.append(" FROM ").append(repo.q(other.model.table)).append(" t JOIN ").append(join).append(" j ON j.")
                .append(inverse).append(" = t.").append(repo.q(other.model.id.column())).append(" WHERE ");
        List<Object> params = new ArrayList<>();
        SqlText.inList(repo.dialect, "j." + ownerColumn, ids(rows), sql, params);
        String text = sql.toString();
        Class<?> type = other.model.type();
        return repo.db.run(false, text, c -> {
            Map<Object, List<Object>> byOwner = new HashMap<>();
            try (PreparedStatement ps = repo.db.prepare(c, text, params.toArray()); ResultSet rs = ps.executeQuery()) {
                RowMapper<?> mapper = RowMapper.forResult(type, rs);
                while (rs.next()) {
                    Object owner = RowMapper.normalizeId(rs.getObject(1));
                    byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(mapper.map(rs));
                }
            }
            return byOwner;
        });
    }

    private Set<Object> ids(List<T> rows) {
        Set<Object> ids = new LinkedHashSet<>();
        for (T row : rows) {
            ids.add(idOf(row));
        }
        return ids;
    }

    private Object idOf(T row) {
        return RowMapper.normalizeId(repo.model.shape.read(repo.model.id, row));
    }

    @SuppressWarnings("unchecked")
    private static <E> Object idOf(EntityModel<E> model, Object entity) {
        return RowMapper.normalizeId(model.shape.read(model.id, (E) entity));
    }

    @SuppressWarnings("unchecked")
    private static <E> Object readAny(EntityModel<E> model, Part part, Object entity) {
        return model.shape.read(part, (E) entity);
    }
}
