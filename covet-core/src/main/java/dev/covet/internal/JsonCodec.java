package dev.covet.internal;

import dev.covet.Problem;
import dev.covet.ProblemException;
import dev.covet.Problems;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of an app, with a reader and a writer per type built once and cached.
 *
 * <p>Why the hybrid recycler pool: Jackson reuses its 8-16 KB parse and generate buffers through a
 * pool. Handlers run on virtual threads that live for one request, so a thread-local pool (Jackson 2's
 * default) would never get a second use and every request would allocate fresh buffers (16.5 KB more
 * per encode, measured). Jackson 3's default, a concurrent deque per factory, recycles fine but grows
 * with peak concurrency and never shrinks; the hybrid pool holds a bounded set for virtual threads and
 * stays thread-local on the I/O threads. See docs/adr/0002-jackson-recycler-pool-on-virtual-threads.md.
 */
public final class JsonCodec {
    private final JsonMapper mapper;
    private final ClassValue<ObjectWriter> writers = new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
            return mapper.writerFor(type);
        }
    };
    private final ClassValue<ObjectReader> readers = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return mapper.readerFor(type);
        }
    };

    public JsonCodec() {
        JsonFactory factory = JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedHybridPool())
                // limits on what a client controls: nesting depth and string/number sizes
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    public JsonMapper mapper() {
        return mapper;
    }

    /** Serializes {@code value} into a new pooled buffer; the caller owns (and releases) it. */
    public ByteBuf write(Object value, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(256);
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            writers.get(value.getClass()).writeValue((java.io.OutputStream) out, value);
            return buf;
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /**
     * Serializes a problem as its RFC 9457 body: the standard members, then {@code errors} when there
     * are any, then the extensions as top-level members. {@code instance} is used when the problem has none.
     */
    public ByteBuf writeProblem(Problem problem, String instance, ByteBufAllocator alloc) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        if (problem.detail() != null) {
            body.put("detail", problem.detail());
        }
        String at = problem.instance() != null ? problem.instance() : instance;
        if (at != null) {
            body.put("instance", at);
        }
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors());
        }
        body.putAll(problem.extensions());
        return write(body, alloc);
    }

    public byte[] writeBytes(Object value) {
        return writers.get(value.getClass()).writeValueAsBytes(value);
    }

    /**
     * Reads a {@code type} from {@code in}.
     *
     * @throws ProblemException 400 naming the line, column and field where the JSON is malformed or
     *     does not fit the type
     */
    public <T> T read(InputStream in, Class<T> type) {
        try {
            T value = readers.get(type).readValue(in);
            if (value == null) {
                throw new ProblemException(Problem.of(400, Problems.MALFORMED_JSON, "Malformed JSON",
                        "The request body is empty or null; expected " + describe(type)));
            }
            return value;
        } catch (JacksonException e) {
            throw new ProblemException(new Problem(Problems.MALFORMED_JSON, "Malformed JSON", 400,
                    describe(e, type), null, List.of(), Map.of()));
        }
    }

    private static String describe(JacksonException e, Class<?> type) {
        StringBuilder detail = new StringBuilder();
        if (e instanceof UnrecognizedPropertyException u) {
            detail.append("Unknown field '").append(u.getPropertyName()).append('\'');
        } else if (e instanceof MismatchedInputException) {
            detail.append("Wrong type");
            String path = e.getPathReference();
            if (path != null && !e.getPath().isEmpty()) {
                detail.append(" for field '").append(fieldPath(e)).append('\'');
            }
            detail.append(": expected ").append(describe(type)).append(" shape");
        } else {
            detail.append("Malformed JSON: ").append(firstLine(e.getOriginalMessage()));
        }
        TokenStreamLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            detail.append(" at line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
        }
        return detail.toString();
    }

    static String fieldPath(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String describe(Class<?> type) {
        return type.isRecord() ? "a " + type.getSimpleName() + " object" : type.getSimpleName();
    }
}
