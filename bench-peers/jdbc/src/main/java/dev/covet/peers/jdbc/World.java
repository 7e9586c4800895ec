package dev.covet.peers.jdbc;

/** One row of TechEmpower's World table, serialized as {@code {"id":…,"randomNumber":…}}. */
public record World(int id, int randomNumber) {
}
