package dev.covet.peers.netty;

import dev.covet.peers.contract.PeerContract;
import org.junit.jupiter.api.Test;

class NettyPeerTest {

    @Test
    void servesPlaintextJsonAndEchoWithServerAndDateHeaders() throws Exception {
        try (NettyPeer peer = NettyPeer.start("127.0.0.1", 0)) {
            PeerContract.assertServesTheBenchmarkEndpoints(peer.port());
        }
    }

    @Test
    void servesTheLargeJsonListAndValidatesPostedUsers() throws Exception {
        try (NettyPeer peer = NettyPeer.start("127.0.0.1", 0)) {
            PeerContract.assertServesTheApiEndpoints(peer.port());
        }
    }
}
