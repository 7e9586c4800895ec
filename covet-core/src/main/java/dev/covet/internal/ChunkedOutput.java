package dev.covet.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response body as a stream, sent with chunked transfer encoding. Writes collect in a buffer of
 * {@link #BUFFER_SIZE} bytes; each full buffer (or {@link #flush()}) becomes one chunk. Before each
 * chunk the writer waits until the connection is writable again, so a client that reads slowly slows
 * the handler down instead of making the server buffer without limit.
 */
final class ChunkedOutput extends OutputStream {
    static final int BUFFER_SIZE = 8192;

    private final Exchange exchange;
    private ByteBuf buffer;
    private boolean committed;
    private boolean finished;

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
            ByteBuf chunk = buffer;
            buffer = null;
            connection.awaitWritable();
            if (exchange.head) {
                chunk.release();
            } else {
                connection.writeFromHandler(new DefaultHttpContent(chunk), flush);
                return;
            }
        }
        if (flush) {
            connection.flushFromHandler();
        }
    }

    private HttpResponse head() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(exchange.status), exchange.responseHeaders);
        // An HTTP/1.0 client does not know chunked (RFC 9112 §6.1): it gets the body unframed, ended by close.
        if (!exchange.head && exchange.request.protocolVersion() != HttpVersion.HTTP_1_0) {
            exchange.responseHeaders.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        exchange.connection.addStandardHeaders(exchange, exchange.responseHeaders);
        return response;
    }

    /** Called when the handler returned: sends the rest; the connection then writes the last chunk. */
    void finish() throws IOException {
        if (!finished) {
            sendChunk(false);
            finished = true;
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
