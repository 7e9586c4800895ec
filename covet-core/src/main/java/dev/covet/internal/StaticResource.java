package dev.covet.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A file found under a static root: its size and validators, and how to send (part of) it.
 * {@link OnDisk} files go out through the zero-copy file path; {@link Streamed} ones (class-path
 * entries inside a jar) are copied through {@link Exchange#output()} with a fixed Content-Length.
 */
sealed interface StaticResource {

    /** The size in bytes, or -1 when unknown (then ranges are not offered). */
    long size();

    /** Last modification in epoch milliseconds, or -1 when unknown. */
    long lastModified();

    /** A strong entity tag, quoted, if one can be derived. */
    Optional<String> etag();

    /** Sends {@code length} bytes from {@code offset} as the response body (-1 length: everything). */
    void send(Exchange exchange, long offset, long length) throws IOException;

    /** A regular file, already resolved to its real path inside the root. */
    record OnDisk(Path file, long size, long lastModified, long lastModifiedMicros) implements StaticResource {
        static OnDisk of(Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
            return new OnDisk(file, attributes.size(), attributes.lastModifiedTime().toMillis(),
                    attributes.lastModifiedTime().to(TimeUnit.MICROSECONDS));
        }

        @Override
        public Optional<String> etag() {
            // size and microsecond mtime: changes with any rewrite that the file system can date apart
            return Optional.of('"' + Long.toHexString(size) + '-' + Long.toHexString(lastModifiedMicros) + '"');
        }

        @Override
        public void send(Exchange exchange, long offset, long length) {
            exchange.file(file);
            if (length >= 0) {
                exchange.fileRangeStart = offset;
                exchange.fileRangeLength = length;
            }
        }
    }

    /** Something only readable as a stream, such as a jar entry. */
    record Streamed(Opener opener, long size, long lastModified, Optional<String> etag) implements StaticResource {

        /** Opens the content; called on the handler's thread, only when the body is really sent. */
        @FunctionalInterface
        interface Opener {
            InputStream open() throws IOException;
        }

        @Override
        public void send(Exchange exchange, long offset, long length) throws IOException {
            long count = length >= 0 ? length : size;
            if (count >= 0) {
                exchange.header(HttpHeaderNames.CONTENT_LENGTH.toString(), Long.toString(count));
            }
            OutputStream out = exchange.output();
            if (exchange.head) {
                return; // headers only; the output sends them when the handler returns
            }
            try (InputStream in = opener.open()) {
                in.skipNBytes(offset);
                if (count < 0) {
                    in.transferTo(out);
                    return;
                }
                byte[] buffer = new byte[8192];
                long left = count;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException("The resource ended " + left + " bytes before its declared size");
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        }
    }
}
