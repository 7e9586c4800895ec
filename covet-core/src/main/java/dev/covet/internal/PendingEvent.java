package dev.covet.internal;

import dev.covet.SseStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** An SSE event being built; {@link #send()} formats it and hands it to its stream. */
final class PendingEvent implements SseStream.Event {
    private final ChunkedEventStream stream;
    private final String name;
    private String id;
    private long retryMillis = -1;
    private String data;

    PendingEvent(ChunkedEventStream stream, String name) {
        this.stream = stream;
        this.name = name;
    }

    @Override
    public SseStream.Event id(String id) {
        this.id = EventStreamFormat.checkId(id);
        return this;
    }

    @Override
    public SseStream.Event retry(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("retry must be a non-negative duration, was " + delay);
        }
        this.retryMillis = delay.toMillis();
        return this;
    }

    @Override
    public SseStream.Event data(String data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null (send \"\" for an empty event)");
        }
        this.data = data;
        return this;
    }

    @Override
    public SseStream.Event json(Object value) {
        this.data = new String(stream.json().writeBytes(value), StandardCharsets.UTF_8);
        return this;
    }

    @Override
    public void send() {
        if (name == null && id == null && retryMillis < 0 && data == null) {
            throw new IllegalStateException("An event needs data, an id or a retry before it can be sent");
        }
        stream.write(EventStreamFormat.event(name, id, retryMillis, data));
    }
}
