package dev.covet.peers.helidon;

import dev.covet.peers.contract.PeerContract;
import dev.covet.peers.contract.PeerTestDatabase;
import org.junit.jupiter.api.Test;

class HelidonPeerTest {

    @Test
    void servesPlaintextJsonAndEchoWithServerAndDateHeaders() throws Exception {
        try (HelidonPeer peer = HelidonPeer.start("127.0.0.1", 0)) {
            PeerContract.assertServesTheBenchmarkEndpoints(peer.port());
        }
    }

    @Test
    void servesTheDatabaseEndpointsFromPostgresql() throws Exception {
        try (PeerTestDatabase db = PeerTestDatabase.create(); HelidonPeer peer = HelidonPeer.start("127.0.0.1", 0, db.url())) {
            PeerContract.assertServesTheDatabaseEndpoints(peer.port(), db);
        }
    }
}
