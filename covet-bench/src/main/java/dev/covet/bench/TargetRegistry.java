package dev.covet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The targets known by name: a built-in list (Covet's demo and the peers in {@code bench-peers/}),
 * which a JSON file may extend or override entry by entry:
 *
 * <pre>{@code
 * {"targets": [
 *   {"name": "netty", "mainClass": "dev.covet.peers.netty.NettyPeer",
 *    "classpath": ["bench-peers/netty/target/classes", "bench-peers/netty/target/lib/*"],
 *    "probePath": "/plaintext", "env": {"SOME_FLAG": "1"}},
 *   {"name": "nginx", "command": ["nginx", "-c", "/etc/bench/nginx.conf"], "port": 8080,
 *    "scenarios": ["plaintext", "json"]}
 * ]}
 * }</pre>
 *
 * A target without {@code scenarios} is asked to run every scenario; for a WebSocket scenario it is still
 * reported as not implemented if it answers 404 or 405 to the upgrade ({@link UpgradeProbe}).
 */
public final class TargetRegistry {
    /**
     * What every peer of bench-peers serves (PeerContract): the protocol basics, and {@code connections}, which is
     * GET /plaintext on many connections. No peer has a WebSocket endpoint, so none lists ws-echo, ws-broadcast or
     * ws-idle. Covet's demo serves every scenario.
     */
    static final List<String> PEER_SCENARIOS = List.of("plaintext", "json", "echo", "connections");
    /** The raw Netty and Vert.x peers also serve the API scenarios without auth (PeerContract.assertServesTheApiEndpoints). */
    static final List<String> PEER_API_SCENARIOS = List.of("plaintext", "json", "echo", "connections", "json-list", "validated",
            "validated-invalid");
    /**
     * TechEmpower's database scenarios, which the Vert.x, Javalin and Helidon peers serve when given COVET_DATA_URL
     * (PeerContract.assertServesTheDatabaseEndpoints); cached-queries is not among them.
     */
    static final List<String> PEER_DATABASE_SCENARIOS = List.of("db", "queries", "fortunes", "updates");

    private final Map<String, TargetSpec> targets;

    private TargetRegistry(Map<String, TargetSpec> targets) {
        this.targets = targets;
    }

    /** The built-in targets, in report order. */
    public static TargetRegistry builtIn() {
        Map<String, TargetSpec> m = new LinkedHashMap<>();
        for (TargetSpec t : List.of(
                new TargetSpec("covet", "Covet's demo application (handlers on virtual threads)", "dev.covet.demo.DemoApp",
                        List.of("examples/demo/target/classes", "examples/demo/target/lib/*"), null, List.of(), Map.of(), "/plaintext", null, null),
                new TargetSpec("covet-nonblocking", "Covet's demo with DEMO_NON_BLOCKING=true (/plaintext, /json and the database endpoints on the I/O thread)",
                        "dev.covet.demo.DemoApp", List.of("examples/demo/target/classes", "examples/demo/target/lib/*"), null, List.of(),
                        Map.of("DEMO_NON_BLOCKING", "true"), "/plaintext", null, null),
                TargetSpec.jvmModule("netty", "raw Netty peer", "bench-peers/netty", "dev.covet.peers.netty.NettyPeer", PEER_API_SCENARIOS),
                TargetSpec.jvmModule("vertx", "Vert.x peer", "bench-peers/vertx", "dev.covet.peers.vertx.VertxPeer",
                        concat(PEER_API_SCENARIOS, PEER_DATABASE_SCENARIOS)),
                TargetSpec.jvmModule("javalin", "Javalin peer", "bench-peers/javalin", "dev.covet.peers.javalin.JavalinPeer",
                        concat(PEER_SCENARIOS, PEER_DATABASE_SCENARIOS)),
                TargetSpec.jvmModule("helidon", "Helidon SE peer", "bench-peers/helidon", "dev.covet.peers.helidon.HelidonPeer",
                        concat(PEER_SCENARIOS, PEER_DATABASE_SCENARIOS)))) {
            m.put(t.name(), t);
        }
        return new TargetRegistry(m);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The file's entries replace built-ins of the same name; new names are appended. */
    public TargetRegistry overriddenBy(Path file) {
        TargetsFile parsed;
        try {
            parsed = JsonMapper.builder().build().readValue(Files.readString(file), TargetsFile.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read targets file " + file + ": " + e.getMessage(), e);
        }
        if (parsed.targets() == null) {
            throw new IllegalArgumentException("targets file " + file + " has no \"targets\" array");
        }
        Map<String, TargetSpec> m = new LinkedHashMap<>(targets);
        for (TargetSpec t : parsed.targets()) {
            m.put(t.name(), t);
        }
        return new TargetRegistry(m);
    }

    /** All known names, in order. */
    public List<String> names() {
        return List.copyOf(targets.keySet());
    }

    /** The target of that name. */
    public TargetSpec get(String name) {
        TargetSpec t = targets.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown target '" + name + "'; known: " + targets.keySet()
                    + " (add more with --targets-file)");
        }
        return t;
    }

    /** The JSON shape of a targets file. */
    public record TargetsFile(List<TargetSpec> targets) {
    }
}
