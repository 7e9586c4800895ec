package dev.covet.peers.helidon;

import dev.covet.peers.contract.PeerContract;
import org.junit.jupiter.api.Test;

class HelidonPeerTest {

    @Test
    void servesPlaintextJsonAndEchoWithServerAndDateHeaders() throws Exception {
        try (HelidonPeer peer = HelidonPeer.start("127.0.0.1", 0)) {
            PeerContract.assertServesTheBenchmarkEndpoints(peer.port());
        }
    }
}
