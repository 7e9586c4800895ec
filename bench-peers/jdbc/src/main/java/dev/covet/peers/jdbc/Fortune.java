package dev.covet.peers.jdbc;

/** One row of TechEmpower's Fortune table. */
public record Fortune(int id, String message) {
}
