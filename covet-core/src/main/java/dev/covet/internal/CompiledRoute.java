package dev.covet.internal;

import dev.covet.Handler;

/**
 * A route ready to serve: its handler already wrapped in its middleware chain.
 *
 * @param pattern     the pattern as registered, for logs and errors
 * @param chain       middleware and handler composed into one handler
 * @param nonBlocking run on the I/O thread (body aggregated first) instead of a virtual thread
 * @param maxBodySize the body limit in bytes
 */
public record CompiledRoute(String pattern, Handler chain, boolean nonBlocking, long maxBodySize) { }
