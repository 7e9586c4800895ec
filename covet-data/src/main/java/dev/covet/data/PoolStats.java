package dev.covet.data;

import java.time.Duration;

/**
 * A snapshot of the connection pool. For SQLite the figures add up the writer (one connection) and the
 * readers.
 *
 * @param active         connections lent out right now
 * @param idle           connections waiting in the pool
 * @param waiting        threads waiting for a connection right now
 * @param total          open connections
 * @param acquisitions   connections handed out since start (including failed attempts)
 * @param meanAcquisition mean time a caller waited for a connection
 * @param maxAcquisition  longest time a caller waited for a connection
 */
public record PoolStats(int active, int idle, int waiting, int total, long acquisitions,
                        Duration meanAcquisition, Duration maxAcquisition) { }
