package dev.covet.peers.helidon;

/** The TechEmpower json test's payload, serialized by Jackson from a fresh instance per request. */
public record Message(String message) {
}
