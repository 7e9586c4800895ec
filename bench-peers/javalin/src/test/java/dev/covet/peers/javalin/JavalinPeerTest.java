package dev.covet.peers.javalin;

import dev.covet.peers.contract.PeerContract;
import dev.covet.peers.contract.PeerTestDatabase;
import org.junit.jupiter.api.Test;

class JavalinPeerTest {

    @Test
    void servesPlaintextJsonAndEchoWithServerAndDateHeaders() throws Exception {
        try (JavalinPeer peer = JavalinPeer.start("127.0.0.1", 0)) {
            PeerContract.assertServesTheBenchmarkEndpoints(peer.port());
        }
    }

    @Test
    void servesTheDatabaseEndpointsFromPostgresql() throws Exception {
        try (PeerTestDatabase db = PeerTestDatabase.create(); JavalinPeer peer = JavalinPeer.start("127.0.0.1", 0, db.url())) {
            PeerContract.assertServesTheDatabaseEndpoints(peer.port(), db);
        }
    }
}
