package dev.covet.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response body as a stream. Writes collect in a buffer of {@link #BUFFER_SIZE} bytes; each full
 * buffer (or {@link #flush()}) is written and flushed to the socket as one piece. Before each piece the
 * writer waits until the connection is writable again, so a client that reads slowly slows the handler
 * down instead of making the server buffer without limit: at most the channel's high-water mark plus
 * one piece waits in memory.
 *
 * <p>Framing: chunked transfer encoding, unless the handler set a {@code Content-Length} before the
 * first piece went out, in which case the body is sent as it is and must be exactly that long (a
 * mismatch fails the response, and the connection closes, since the client could no longer find the
 * next response). An HTTP/1.0 client, which knows no chunked encoding, gets an unframed body ended by
 * closing the connection.
 */
final class ChunkedOutput extends OutputStream {
    static final int BUFFER_SIZE = 8192;

    private final Exchange exchange;
    private ByteBuf buffer;
    private boolean committed;
    private boolean finished;
    private long declaredLength = -1;
    private long sent;

    ChunkedOutput(Exchange exchange) {
        this.exchange = exchange;
    }

    boolean committed() {
        return committed;
    }

    @Override
    public void write(int b) throws IOException {
        ensureBuffer().writeByte(b);
        if (!buffer.isWritable()) {
            sendChunk(false);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            ByteBuf buf = ensureBuffer();
            int n = Math.min(length, buf.writableBytes());
            buf.writeBytes(bytes, offset, n);
            offset += n;
            length -= n;
            if (!buf.isWritable()) {
                sendChunk(false);
            }
        }
    }

    /** Sends what is buffered now (and the status line and headers, the first time). */
    @Override
    public void flush() throws IOException {
        sendChunk(true);
    }

    @Override
    public void close() throws IOException {
        flush(); // the final chunk is sent by the connection when the handler returns
    }

    private ByteBuf ensureBuffer() throws IOException {
        if (finished) {
            throw new IOException("The response has already been completed");
        }
        if (buffer == null) {
            buffer = exchange.connection.alloc().buffer(BUFFER_SIZE, BUFFER_SIZE);
        }
        return buffer;
    }

    private void sendChunk(boolean flush) throws IOException {
        HttpConnection connection = exchange.connection;
        if (!committed) {
            committed = true;
            connection.awaitWritable();
            connection.writeFromHandler(head(), false);
        }
        if (buffer != null && buffer.isReadable()) {
            ByteBuf chunk = rightSized(buffer);
            buffer = null;
            if (exchange.head) {
                chunk.release();
            } else {
                try {
                    count(chunk);
                    connection.awaitWritable();
                } catch (IOException | RuntimeException e) {
                    chunk.release(); // the client is gone or stalled: this piece will never be written
                    throw e;
                }
                // Always flushed: an unflushed piece would keep the channel unwritable and the next
                // awaitWritable() would wait for a flush that never comes.
                connection.writeFromHandler(new DefaultHttpContent(chunk), true);
                return;
            }
        }
        if (flush) {
            connection.flushFromHandler();
        }
    }

    /**
     * A small piece (an SSE event, a flushed line) keeps only what it needs: pieces wait in the
     * outbound buffer, which counts readable bytes, so thousands of 8 KiB buffers holding a few bytes
     * each would otherwise sit below the high-water mark.
     */
    private ByteBuf rightSized(ByteBuf chunk) {
        int readable = chunk.readableBytes();
        if (readable >= chunk.capacity() / 2) {
            return chunk;
        }
        ByteBuf copy = exchange.connection.alloc().buffer(readable, readable);
        copy.writeBytes(chunk);
        chunk.release();
        return copy;
    }

    private void count(ByteBuf chunk) throws IOException {
        sent += chunk.readableBytes();
        if (declaredLength >= 0 && sent > declaredLength) {
            throw new IOException("The handler wrote more than the " + declaredLength
                    + " bytes its Content-Length declared");
        }
    }

    private HttpResponse head() {
        HttpHeaders headers = exchange.responseHeaders;
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(exchange.status), headers);
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            declaredLength = parseLength(length);
        } else if (!exchange.head && exchange.request.protocolVersion() == HttpVersion.HTTP_1_1) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        exchange.connection.addStandardHeaders(exchange, headers);
        return response;
    }

    private static long parseLength(String value) {
        try {
            long length = Long.parseLong(value.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("Content-Length must be a non-negative number, was '" + value + "'");
    }

    /** Called when the handler returned: sends the rest; the connection then writes the last chunk. */
    void finish() throws IOException {
        if (!finished) {
            sendChunk(false);
            finished = true;
            if (declaredLength >= 0 && !exchange.head && sent != declaredLength) {
                throw new IOException("The handler wrote " + sent + " of the " + declaredLength
                        + " bytes its Content-Length declared");
            }
        }
    }

    /** Frees the buffer without sending it (the connection is gone). */
    void discard() {
        finished = true;
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
