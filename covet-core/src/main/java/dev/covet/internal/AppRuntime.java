package dev.covet.internal;

import dev.covet.CovetConfig;
import dev.covet.ExceptionHandler;
import dev.covet.Handler;
import dev.covet.Middleware;
import dev.covet.ProblemException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Everything the connections of one server share, fixed at start-up: config, router, JSON codec,
 * exception handlers, the virtual-thread executor and the server's counters.
 */
public final class AppRuntime {
    final CovetConfig config;
    final Router<CompiledRoute> router;
    final JsonCodec json;
    final ErrorResponder errors;
    final ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
    final CompiledRoute notFound;
    final CompiledRoute methodNotAllowed;
    final CompiledRoute automaticOptions;
    final AtomicLong openConnections = new AtomicLong();
    final AtomicLong refusedConnections = new AtomicLong();
    volatile boolean draining;
    /** Open SSE streams, closed when the server stops so they end instead of holding up shutdown. */
    final Set<ChunkedEventStream> eventStreams = ConcurrentHashMap.newKeySet();
    /** Open WebSocket connections. */
    final Set<WebSocketConnection> webSockets = ConcurrentHashMap.newKeySet();

    public AppRuntime(CovetConfig config, Router<CompiledRoute> router, JsonCodec json,
                      Map<Class<? extends Throwable>, ExceptionHandler<? extends Throwable>> exceptionHandlers,
                      List<Middleware> appMiddleware) {
        this.config = config;
        this.router = router;
        this.json = json;
        this.errors = new ErrorResponder(exceptionHandlers, config.devMode());
        boolean inline = appMiddleware.isEmpty(); // app middleware may block, so it gets a virtual thread
        this.notFound = new CompiledRoute("(not found)", compose(appMiddleware, ctx -> {
            throw new ProblemException(404, "No route for " + ctx.method() + " " + ctx.path());
        }), inline, config.maxBodySize());
        this.methodNotAllowed = new CompiledRoute("(method not allowed)", compose(appMiddleware, ctx -> {
            Exchange ex = (Exchange) ctx;
            ctx.header("Allow", allowHeader(ex.allowed()));
            throw new ProblemException(405, ctx.method() + " is not allowed on " + ctx.path()
                    + "; allowed: " + allowHeader(ex.allowed()));
        }), inline, config.maxBodySize());
        this.automaticOptions = new CompiledRoute("(options)", compose(appMiddleware, ctx -> {
            Exchange ex = (Exchange) ctx;
            ctx.header("Allow", allowHeader(ex.allowed())).status(204);
        }), inline, config.maxBodySize());
    }

    /** Wraps {@code handler} in {@code chain}, outermost first. */
    public static Handler compose(List<Middleware> chain, Handler handler) {
        Handler composed = handler;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Middleware middleware = chain.get(i);
            Handler inner = composed;
            composed = ctx -> middleware.handle(ctx, () -> inner.handle(ctx));
        }
        return composed;
    }

    static String allowHeader(Set<RouteMethod> allowed) {
        return allowed.stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Closes every open SSE stream: their handlers see sends fail and awaitClose() return. */
    void closeEventStreams() {
        for (ChunkedEventStream stream : eventStreams) {
            stream.closeOnOtherThread("The server is stopping");
        }
    }

    public JsonCodec json() {
        return json;
    }

    public long openConnections() {
        return openConnections.get();
    }
}
