package dev.covet.peers.vertx;

import dev.covet.peers.contract.PeerContract;
import dev.covet.peers.contract.PeerTestDatabase;
import org.junit.jupiter.api.Test;

class VertxPeerTest {

    @Test
    void servesPlaintextJsonAndEchoWithServerAndDateHeaders() throws Exception {
        try (VertxPeer peer = VertxPeer.start("127.0.0.1", 0)) {
            PeerContract.assertServesTheBenchmarkEndpoints(peer.port());
        }
    }

    @Test
    void servesTheLargeJsonListAndValidatesPostedUsers() throws Exception {
        try (VertxPeer peer = VertxPeer.start("127.0.0.1", 0)) {
            PeerContract.assertServesTheApiEndpoints(peer.port());
        }
    }

    @Test
    void servesTheDatabaseEndpointsFromPostgresql() throws Exception {
        try (PeerTestDatabase db = PeerTestDatabase.create(); VertxPeer peer = VertxPeer.start("127.0.0.1", 0, db.url())) {
            PeerContract.assertServesTheDatabaseEndpoints(peer.port(), db);
        }
    }

    @Test
    void servesTheDatabaseEndpointsWithTheSelectsInOneBatch() throws Exception {
        try (PeerTestDatabase db = PeerTestDatabase.create(); VertxPeer peer = VertxPeer.start("127.0.0.1", 0, db.url(), true)) {
            PeerContract.assertServesTheDatabaseEndpoints(peer.port(), db);
        }
    }
}
