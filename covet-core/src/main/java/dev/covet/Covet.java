package dev.covet;

import dev.covet.internal.AppRuntime;
import dev.covet.internal.BeanValidation;
import dev.covet.internal.CompiledRoute;
import dev.covet.internal.JsonCodec;
import dev.covet.internal.LeakDetection;
import dev.covet.internal.NettyServer;
import dev.covet.internal.RouteMethod;
import dev.covet.internal.Router;
import dev.covet.internal.TransportChoice;
import io.netty.channel.EventLoopGroup;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Covet application: configure it, add routes and middleware, start it.
 *
 * <pre>{@code
 * Covet app = Covet.create(config -> config.port(8080));
 * app.get("/hello/{name}", ctx -> ctx.text("Hello, " + ctx.pathParam("name")));
 * app.post("/users", ctx -> ctx.status(201).json(users.add(ctx.bodyAs(NewUser.class))));
 * app.start();
 * }</pre>
 *
 * <p>Handlers run on virtual threads and may block. Errors become {@code application/problem+json}
 * responses. Routes, middleware and exception handlers must be added before {@link #start()}.
 */
public final class Covet extends RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger("dev.covet");

    static {
        // Hibernate Validator logs through jboss-logging; send it to SLF4J like everything else.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        // Netty's buffer JFR events initialise the JDK's JFR metadata at the first allocation whether or
        // not anything records them: 200-300 ms of CPU at start-up without an AOT cache (measured, see
        // docs/performance.md). Off unless the user asks for them with -Dio.netty.jfr.enabled=true.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
    }

    private final CovetConfig config;
    private final List<Route> routes;
    /** Started at create(), so the connection classes load while the app adds its routes. */
    private final CompletableFuture<Void> preload;
    /** Built at create() on its own thread too: a cold Jackson mapper costs 100-250 ms without an AOT cache. */
    private final CompletableFuture<JsonCodec> json;
    private final Map<Class<? extends Throwable>, ExceptionHandler<? extends Throwable>> exceptionHandlers =
            new LinkedHashMap<>();
    private final List<StartupTask<?>> startupTasks = new ArrayList<>();
    /** Volatile because {@link #readiness()} may be asked from any thread, e.g. a health route's handler. */
    private volatile NettyServer server;
    private boolean startupTasksStarted;
    private AppRuntime runtime;

    private Covet(CovetConfig config, List<Route> routes, CompletableFuture<Void> preload,
                  CompletableFuture<JsonCodec> json) {
        super("", null, routes);
        this.config = config;
        this.routes = routes;
        this.preload = preload;
        this.json = json;
    }

    /** An app with the default configuration (overridable by {@code covet.properties} and {@code COVET_*}). */
    public static Covet create() {
        return create(config -> { });
    }

    /** An app configured in code; {@code covet.properties} and {@code COVET_*} variables override it. */
    public static Covet create(Consumer<CovetConfig> configure) {
        CompletableFuture<Void> preload = NettyServer.preloadConnectionClasses();
        CompletableFuture<JsonCodec> json = CompletableFuture.supplyAsync(JsonCodec::new,
                task -> Thread.ofPlatform().daemon().name("covet-preload-json").start(task));
        CovetConfig config = new CovetConfig();
        configure.accept(config);
        return new Covet(config, new ArrayList<>(), preload, json);
    }

    /** The configuration; changeable until {@link #start()}. */
    public CovetConfig config() {
        return config;
    }

    @Override public Covet get(String path, Handler handler) { super.get(path, handler); return this; }
    @Override public Covet get(String path, Handler handler, RouteOptions options) { super.get(path, handler, options); return this; }
    @Override public Covet post(String path, Handler handler) { super.post(path, handler); return this; }
    @Override public Covet post(String path, Handler handler, RouteOptions options) { super.post(path, handler, options); return this; }
    @Override public Covet put(String path, Handler handler) { super.put(path, handler); return this; }
    @Override public Covet put(String path, Handler handler, RouteOptions options) { super.put(path, handler, options); return this; }
    @Override public Covet patch(String path, Handler handler) { super.patch(path, handler); return this; }
    @Override public Covet patch(String path, Handler handler, RouteOptions options) { super.patch(path, handler, options); return this; }
    @Override public Covet delete(String path, Handler handler) { super.delete(path, handler); return this; }
    @Override public Covet delete(String path, Handler handler, RouteOptions options) { super.delete(path, handler, options); return this; }
    @Override public Covet options(String path, Handler handler) { super.options(path, handler); return this; }
    @Override public Covet use(Middleware middleware) { super.use(middleware); return this; }
    @Override public Covet before(Handler handler) { super.before(handler); return this; }
    @Override public Covet after(Handler handler) { super.after(handler); return this; }
    @Override public Covet group(String prefix, Consumer<RouteGroup> group) { super.group(prefix, group); return this; }
    @Override public Covet staticFiles(String prefix, Path directory) { super.staticFiles(prefix, directory); return this; }
    @Override public Covet staticFiles(String prefix, Path directory, StaticFileOptions options) { super.staticFiles(prefix, directory, options); return this; }
    @Override public Covet staticResources(String prefix, String root) { super.staticResources(prefix, root); return this; }
    @Override public Covet staticResources(String prefix, String root, StaticFileOptions options) { super.staticResources(prefix, root, options); return this; }
    @Override public Covet sse(String path, SseHandler handler) { super.sse(path, handler); return this; }
    @Override public Covet ws(String path, Consumer<WebSocketEndpoint> endpoint) { super.ws(path, endpoint); return this; }

    @Override
    protected RouteGroup add(String method, String path, Handler handler, RouteOptions options) {
        checkNotStarted();
        return super.add(method, path, handler, options);
    }

    /**
     * Answers exceptions of {@code type} (and its subclasses, unless a more specific handler exists)
     * with {@code handler} instead of a 500.
     */
    public <E extends Throwable> Covet exception(Class<E> type, ExceptionHandler<? super E> handler) {
        checkNotStarted();
        exceptionHandlers.put(type, handler);
        return this;
    }

    /**
     * Adds start-up work that runs in the background once the server listens (each task on its own
     * thread), so that routes which do not need it answer from the first moment. Routes that need it call
     * {@link StartupTask#get()}, which answers 503 with {@code Retry-After} until the work is done, and
     * 503 for good if it failed (logged at ERROR). {@link #readiness()} reports the tasks' states.
     *
     * @param name names the task in logs, 503 answers and {@link #readiness()}
     * @param work returns what it initialized (never {@code null}); may block and may throw
     * @throws IllegalStateException if the server has already started
     */
    public <T> StartupTask<T> startupTask(String name, StartupTask.Work<T> work) {
        checkNotStarted();
        StartupTask<T> task = new StartupTask<>(name, work);
        startupTasks.add(task);
        return task;
    }

    /** Whether the server listens and every {@link StartupTask} is ready; for health checks. */
    public Readiness readiness() {
        return new Readiness(server != null, startupTasks.stream().<StartupTask.Status>map(StartupTask::status).toList());
    }

    /**
     * A handler for a readiness probe, e.g. {@code app.get("/health/ready", app.readinessHandler())}: 200
     * with {@code {"ready":true,"tasks":[...]}} once {@link #readiness()} is ready; until then 503
     * problem+json ({@value Problems#STARTING} with {@code Retry-After}, or {@value Problems#STARTUP_FAILED}),
     * listing each task's name, state and elapsed milliseconds (never a failure's message: that is in the log).
     */
    public Handler readinessHandler() {
        return ctx -> readiness().respond(ctx);
    }

    /**
     * Waits until every {@link StartupTask} is done, for tests and scripts.
     *
     * @return the readiness then (ready, or with the failed tasks named)
     * @throws IllegalStateException if the server has not started or the tasks did not finish in time
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Readiness awaitReady(Duration timeout) throws InterruptedException {
        if (server == null) {
            throw new IllegalStateException("The server is not running; call start() first");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (StartupTask<?> task : startupTasks) {
            try {
                task.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (IllegalStateException failedOrLate) {
                if (task.status().state() != StartupTask.State.FAILED) {
                    throw failedOrLate;
                }
            }
        }
        return readiness();
    }

    /**
     * Starts the server and returns once it accepts connections. Prints one line naming the address and
     * the transport in use, and a warning if the native transport could not be loaded. Then starts the
     * {@link #startupTask startup tasks} in the background; a log line says when all are ready.
     *
     * @throws IllegalArgumentException if a setting from covet.properties or the environment is invalid
     * @throws IllegalStateException if the port cannot be bound or a requested transport cannot load
     */
    public synchronized Covet start() {
        checkNotStarted();
        long startNanos = System.nanoTime();
        if (config.loadExternal()) {
            ConfigKeys.applyExternal(config, System.getenv(), Thread.currentThread().getContextClassLoader());
        }
        config.seal();
        runtime = new AppRuntime(config, compileRoutes(), joinPreload(json), exceptionHandlers, middlewareChain());
        TransportChoice transport = TransportChoice.select(config.transport());
        transport.warning().ifPresent(warning -> LOG.warn("WARNING: {}", warning));
        String leakDetection = LeakDetection.apply(config.devMode());
        server = NettyServer.start(runtime, transport, preload);
        BeanValidation.warmUp();  // after the bind: on one CPU it would otherwise delay the bind itself
        if (config.handleSignals()) {
            ShutdownSignals.install(this);
        }
        long tookMs = (System.nanoTime() - startNanos) / 1_000_000;
        long jvmUpMs = ManagementFactory.getRuntimeMXBean().getUptime();
        LOG.info("Covet listening on http://{}:{} (transport={}, io-threads={}, handlers=virtual-threads, "
                        + "routes={}, netty-leak-detection={}, netty-unsafe={}, started in {} ms, JVM up {} ms{})", config.host(),
                server.port(), transport.name(), server.ioThreads(), routes.size(), leakDetection,
                io.netty.util.internal.PlatformDependent.hasUnsafe() ? "in use" : "off", tookMs, jvmUpMs,
                startupTasks.isEmpty() ? "" : "; startup tasks running: " + String.join(", ",
                        startupTasks.stream().map(StartupTask::name).toList()));
        startStartupTasks(startNanos);
        return this;
    }

    private void startStartupTasks(long startNanos) {
        if (startupTasksStarted) {
            return;  // started again after stop(): the tasks ran once, their outcomes stand
        }
        startupTasksStarted = true;
        AtomicInteger remaining = new AtomicInteger(startupTasks.size());
        for (StartupTask<?> task : startupTasks) {
            task.start(() -> {
                if (remaining.decrementAndGet() == 0) {
                    Readiness readiness = readiness();
                    long ms = (System.nanoTime() - startNanos) / 1_000_000;
                    if (readiness.failed()) {
                        LOG.error("Covet NOT ready {} ms after start: startup task(s) failed: {}", ms,
                                readiness.tasks().stream().filter(t -> t.state() == StartupTask.State.FAILED)
                                        .map(t -> t.name() + " (" + t.failure().orElse("?") + ")").toList());
                    } else {
                        LOG.info("Covet ready: all {} startup task(s) done {} ms after start", startupTasks.size(), ms);
                    }
                }
            });
        }
    }

    /** The preloaded value, or what its construction threw, as if it had been built on this thread. */
    private static <T> T joinPreload(CompletableFuture<T> preloaded) {
        try {
            return preloaded.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private Router<CompiledRoute> compileRoutes() {
        Router<CompiledRoute> router = new Router<>();
        for (Route route : routes) {
            List<Middleware> chain = route.group().middlewareChain();
            CompiledRoute compiled = new CompiledRoute(route.pattern(), AppRuntime.compose(chain, route.handler()),
                    route.options().isNonBlocking(), route.options().maxBodySize().orElse(config.maxBodySize()));
            router.add(RouteMethod.valueOf(route.method()), route.pattern(), compiled);
        }
        return router;
    }

    /**
     * Stops gracefully: no new connections, in-flight requests finish (up to {@code covet.shutdown-timeout}),
     * idle connections close. Safe to call more than once.
     */
    public synchronized void stop() {
        if (server != null) {
            startupTasks.forEach(StartupTask::cancel);
            server.stop();
            LOG.info("Covet stopped");
            server = null;
        }
    }

    /**
     * The port the server listens on (useful with port 0).
     *
     * @throws IllegalStateException if the server is not running
     */
    public int port() {
        NettyServer s = server;
        if (s == null) {
            throw new IllegalStateException("The server is not running; call start() first");
        }
        return s.port();
    }

    /** Every route as "METHOD /pattern", in registration order. */
    public List<String> routes() {
        return routes.stream().map(r -> r.method() + " " + r.pattern()).toList();
    }

    /** The number of times an I/O thread was found blocked past {@code covet.blocked-loop-threshold}. */
    public long blockedLoopEvents() {
        NettyServer s = server;
        return s == null ? 0 : s.watchdog().blockedEvents();
    }

    /** Currently open client connections. */
    public long openConnections() {
        AppRuntime r = runtime;
        return r == null ? 0 : r.openConnections();
    }

    /**
     * The I/O threads' Netty event loops, for an integration that runs its own Netty channels on them, so
     * that a request and the I/O it waits for share one thread: covet-data's pipelined PostgreSQL client
     * with {@code Database.Builder.ioThreadsOf(app)}. Whatever is registered here must be closed before
     * {@link #stop()}, which shuts the loops down.
     *
     * @throws IllegalStateException if the server is not running
     */
    public EventLoopGroup ioEventLoops() {
        NettyServer s = server;
        if (s == null) {
            throw new IllegalStateException("The server is not running; call start() first");
        }
        return s.ioEventLoops();
    }

    /** The transport in use, e.g. {@code epoll}. */
    public String transport() {
        NettyServer s = server;
        if (s == null) {
            throw new IllegalStateException("The server is not running; call start() first");
        }
        return s.transport().name();
    }

    private void checkNotStarted() {
        if (server != null) {
            throw new IllegalStateException("Routes, handlers and settings must be added before start()");
        }
    }
}
