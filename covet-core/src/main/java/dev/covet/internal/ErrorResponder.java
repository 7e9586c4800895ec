package dev.covet.internal;

import dev.covet.ExceptionHandler;
import dev.covet.Problem;
import dev.covet.ProblemException;
import dev.covet.Problems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever a handler threw into a response: the app's own exception handlers first (the most
 * specific type wins), then {@link ProblemException}s as they are, then anything else as a 500 whose
 * body carries an error id that is also in the log line. Stack traces reach the client only in dev mode.
 */
final class ErrorResponder {
    private static final Logger LOG = LoggerFactory.getLogger("dev.covet.errors");

    private final Map<Class<? extends Throwable>, ExceptionHandler<? extends Throwable>> handlers;
    private final boolean devMode;

    ErrorResponder(Map<Class<? extends Throwable>, ExceptionHandler<? extends Throwable>> handlers, boolean devMode) {
        this.handlers = Map.copyOf(handlers);
        this.devMode = devMode;
    }

    void respond(Throwable failure, Exchange ex) {
        ExceptionHandler<Throwable> handler = find(failure.getClass());
        if (handler != null) {
            ex.resetBody();
            try {
                handler.handle(failure, ex);
                return;
            } catch (Throwable fromHandler) {
                fromHandler.addSuppressed(failure);
                failure = fromHandler; // an exception handler that fails is itself a 500
            }
        }
        ex.resetBody();
        if (failure instanceof ProblemException problem) {
            problem.headers().forEach(ex::header);
            ex.sendProblem(problem.problem());
            return;
        }
        ex.sendProblem(internalError(failure, ex.method(), ex.path()));
    }

    Problem internalError(Throwable failure, String method, String path) {
        String errorId = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        LOG.error("Unhandled exception [errorId={}] in {} {}", errorId, method, path, failure);
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("errorId", errorId);
        if (devMode) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            extensions.put("exception", failure.toString());
            extensions.put("stackTrace", trace.toString());
        }
        return new Problem(Problems.INTERNAL, "Internal Server Error", 500,
                "The server failed to handle this request; quote errorId " + errorId + " when reporting it.",
                null, List.of(), extensions);
    }

    @SuppressWarnings("unchecked")
    private ExceptionHandler<Throwable> find(Class<?> type) {
        if (handlers.isEmpty()) {
            return null;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            ExceptionHandler<? extends Throwable> handler = handlers.get(c);
            if (handler != null) {
                return (ExceptionHandler<Throwable>) handler;
            }
        }
        return null;
    }
}
