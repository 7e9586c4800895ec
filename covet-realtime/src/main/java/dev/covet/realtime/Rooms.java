package dev.covet.realtime;

import dev.covet.ExternalConfig;
import dev.covet.WebSocketSession;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named groups of WebSocket connections ("rooms") with broadcast, and sends to one connection or to
 * every connection of a user, on one instance or, with Redis, across all of them.
 *
 * <pre>{@code
 * Rooms rooms = Rooms.create(); // Redis pub/sub if covet.realtime.redis-url is set
 * app.ws("/ws/chat/{room}", ws -> ws
 *         .onOpen(session -> rooms.join(session, session.context().pathParam("room")))
 *         .onText((session, text) -> rooms.broadcastExcept(session.context().pathParam("room"), text, session)));
 * }</pre>
 *
 * <p>Design. Membership is local: each instance knows only its own connections, in two concurrent
 * maps (room to connections, connection to rooms) kept in step under the room's map entry. A
 * connection that closes for any reason leaves every room and forgets its user, through
 * {@link WebSocketSession#onClosed}, so the registry cannot leak connections. Sends are delivered to
 * the local members at once; with a {@link RedisRelay} they are also published on one Redis channel,
 * and every other instance delivers them to its own members (an instance ignores its own messages).
 * Delivery across instances is Redis pub/sub's: at most once, and lost while an instance is
 * disconnected from Redis.
 *
 * <p>With Redis, {@link #count} is cluster-wide: each instance keeps its own number of members of a
 * room in Redis next to a liveness key that expires unless its heartbeat refreshes it
 * ({@link RedisCounts}). Member lists ({@link #members}), {@link #rooms} and {@link #localCount} stay
 * this instance's only: a cluster-wide list would cost a Redis write per connection and be stale
 * whenever an instance crashes.
 */
public final class Rooms implements AutoCloseable {
    /** The Redis URL ({@code redis://host:port}); unset means one instance, no Redis. */
    public static final String REDIS_URL_KEY = "covet.realtime.redis-url";
    /** The Redis pub/sub channel the instances share; default {@value #DEFAULT_CHANNEL}. */
    public static final String CHANNEL_KEY = "covet.realtime.channel";
    public static final String DEFAULT_CHANNEL = "covet:rooms";
    /** How long a silent instance's members keep counting; its heartbeat runs three times as often. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(6);

    private final String instanceId = UUID.randomUUID().toString();
    private final Map<String, Set<WebSocketSession>> members = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> roomsOf = new ConcurrentHashMap<>();
    private final Map<String, WebSocketSession> tracked = new ConcurrentHashMap<>();
    private final Map<String, Set<WebSocketSession>> users = new ConcurrentHashMap<>();
    private final Map<String, String> userOf = new ConcurrentHashMap<>();
    private final RedisRelay relay;
    private final RedisCounts counts;

    private Rooms(String redisUrl, String channel, Duration ttl) {
        this.relay = redisUrl == null ? null : new RedisRelay(redisUrl, channel, instanceId, this::deliver);
        if (relay == null) {
            this.counts = null;
            return;
        }
        try {
            // the channel names the cluster, so it also prefixes the count keys
            this.counts = new RedisCounts(relay.connection(), channel, instanceId, ttl, this::republishCounts);
        } catch (RuntimeException e) {
            relay.close();
            throw new IllegalStateException("Cannot register this instance's room counts in Redis at " + redisUrl + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rooms configured from {@code covet.properties} / {@code COVET_*}: across instances through Redis
     * if {@value #REDIS_URL_KEY} is set, on this instance only otherwise.
     *
     * @throws IllegalStateException if Redis is configured but cannot be reached
     * @throws IllegalArgumentException if the file has an unknown {@code covet.realtime.*} key (a typo)
     */
    public static Rooms create() {
        ExternalConfig config = ExternalConfig.load();
        config.refuseUnknown(key -> key.startsWith("covet.realtime."), Set.of(REDIS_URL_KEY, CHANNEL_KEY),
                "the covet.realtime keys are " + REDIS_URL_KEY + " and " + CHANNEL_KEY);
        String url = config.get(REDIS_URL_KEY).map(s -> s.value().trim()).filter(s -> !s.isEmpty()).orElse(null);
        String channel = config.get(CHANNEL_KEY).map(s -> s.value().trim()).orElse(DEFAULT_CHANNEL);
        return new Rooms(url, channel, DEFAULT_TTL);
    }

    /** Rooms on this instance only, whatever the configuration says. */
    public static Rooms local() {
        return new Rooms(null, null, null);
    }

    /**
     * Rooms shared with every instance that uses the same Redis and {@code channel}.
     *
     * @throws IllegalStateException if Redis cannot be reached
     */
    public static Rooms redis(String redisUrl, String channel) {
        return redis(redisUrl, channel, DEFAULT_TTL);
    }

    /** As {@link #redis(String, String)} with another liveness TTL (tests use a short one). */
    static Rooms redis(String redisUrl, String channel, Duration ttl) {
        return new Rooms(requireText(redisUrl, "redisUrl"), requireText(channel, "channel"), ttl);
    }

    /** This instance's id in Redis (its relayed messages and its count entries). */
    String instanceId() {
        return instanceId;
    }

    /** Whether sends reach other instances (Redis is configured). */
    public boolean distributed() {
        return relay != null;
    }

    // ---- membership ---------------------------------------------------------------------------

    /**
     * Adds {@code session} to {@code room} (a no-op if it is a member already or closed).
     *
     * @throws IllegalArgumentException if the room name is empty or contains a line break
     */
    public void join(WebSocketSession session, String room) {
        checkName(room, "room");
        if (!session.isOpen()) {
            return;
        }
        members.compute(room, (name, set) -> {
            Set<WebSocketSession> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(session);
            roomsOf.computeIfAbsent(session.id(), id -> ConcurrentHashMap.newKeySet()).add(name);
            publishCount(name, result.size());
            return result;
        });
        track(session);
    }

    /** Removes {@code session} from {@code room}; a no-op if it is not a member. */
    public void leave(WebSocketSession session, String room) {
        members.computeIfPresent(room, (name, set) -> {
            set.remove(session);
            roomsOf.computeIfPresent(session.id(), (id, rooms) -> {
                rooms.remove(name);
                return rooms.isEmpty() ? null : rooms;
            });
            publishCount(name, set.size());
            return set.isEmpty() ? null : set;
        });
    }

    /** Removes {@code session} from every room and forgets its user; done automatically when it closes. */
    public void forget(WebSocketSession session) {
        tracked.remove(session.id(), session);
        Set<String> rooms = roomsOf.get(session.id());
        if (rooms != null) {
            for (String room : Set.copyOf(rooms)) {
                leave(session, room);
            }
        }
        String user = userOf.remove(session.id());
        if (user != null) {
            users.computeIfPresent(user, (name, set) -> {
                set.remove(session);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /**
     * Records that {@code session} belongs to {@code userId}, for {@link #sendToUser}. A connection
     * has one user; identifying it again replaces the previous one.
     *
     * @throws IllegalArgumentException if the user id is empty or contains a line break
     */
    public void identify(WebSocketSession session, String userId) {
        checkName(userId, "userId");
        if (!session.isOpen()) {
            return;
        }
        String previous = userOf.put(session.id(), userId);
        if (previous != null && !previous.equals(userId)) {
            users.computeIfPresent(previous, (name, set) -> {
                set.remove(session);
                return set.isEmpty() ? null : set;
            });
        }
        users.compute(userId, (name, set) -> {
            Set<WebSocketSession> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(session);
            return result;
        });
        track(session);
    }

    /** The first time a session is seen, arrange for it to be forgotten when it closes. */
    private void track(WebSocketSession session) {
        if (tracked.putIfAbsent(session.id(), session) == null) {
            session.onClosed(() -> forget(session));
        }
        if (!session.isOpen()) {
            forget(session); // it closed while joining: the listener may have run before the join
        }
    }

    /** Called under the room's map entry lock, so that one room's counts reach Redis in order. */
    private void publishCount(String room, int n) {
        if (counts != null) {
            counts.update(room, n);
        }
    }

    /** Writes every room's count again, each under its lock (the heartbeat found its entries expired). */
    private void republishCounts(RedisCounts target) {
        for (String room : members.keySet()) {
            members.computeIfPresent(room, (name, set) -> {
                target.update(name, set.size());
                return set;
            });
        }
    }

    /**
     * The ids of <em>this instance's</em> connections in {@code room}, even with Redis: member lists
     * are not shared between instances (use {@link #count} for the cluster-wide number).
     */
    public Set<String> members(String room) {
        Set<WebSocketSession> set = members.get(room);
        return set == null ? Set.of() : set.stream().map(WebSocketSession::id).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * How many connections are in {@code room}: on every live instance with Redis (one round trip;
     * an instance that stopped without closing its {@code Rooms} stops counting within a few
     * seconds), on this instance without. With Redis this never falls back to the local number.
     *
     * @throws IllegalStateException with Redis, if Redis does not answer within two seconds or this
     *     {@code Rooms} is closed ({@link #localCount} still answers)
     */
    public int count(String room) {
        return counts == null ? localCount(room) : counts.count(room);
    }

    /** How many of this instance's connections are in {@code room}; no Redis involved. */
    public int localCount(String room) {
        Set<WebSocketSession> set = members.get(room);
        return set == null ? 0 : set.size();
    }

    /** The rooms with at least one connection on this instance (not cluster-wide). */
    public Set<String> rooms() {
        return Set.copyOf(members.keySet());
    }

    /** The rooms {@code session} is in. */
    public Set<String> roomsOf(WebSocketSession session) {
        Set<String> rooms = roomsOf.get(session.id());
        return rooms == null ? Set.of() : Set.copyOf(rooms);
    }

    /** The user {@code session} was identified as. */
    public Optional<String> userOf(WebSocketSession session) {
        return Optional.ofNullable(userOf.get(session.id()));
    }

    /** Whether this instance tracks no connection at all (every room empty, no user known). */
    public boolean isEmpty() {
        return members.isEmpty() && roomsOf.isEmpty() && tracked.isEmpty() && users.isEmpty() && userOf.isEmpty();
    }

    // ---- sending ------------------------------------------------------------------------------

    /** Sends {@code text} to every connection in {@code room}, on every instance. */
    public void broadcast(String room, String text) {
        send(RedisRelay.Kind.ROOM, room, "", text);
    }

    /** Sends {@code text} to every connection in {@code room} except {@code sender}, on every instance. */
    public void broadcastExcept(String room, String text, WebSocketSession sender) {
        send(RedisRelay.Kind.ROOM, room, sender.id(), text);
    }

    /** Sends {@code text} to the connection with id {@code sessionId}, wherever it is. */
    public void sendTo(String sessionId, String text) {
        send(RedisRelay.Kind.SESSION, sessionId, "", text);
    }

    /** Sends {@code text} to every connection of {@code userId} (see {@link #identify}), on every instance. */
    public void sendToUser(String userId, String text) {
        send(RedisRelay.Kind.USER, userId, "", text);
    }

    private void send(RedisRelay.Kind kind, String target, String except, String text) {
        checkName(target, "target");
        deliver(kind, target, except, text);
        if (relay != null) {
            relay.publish(kind, target, except, text);
        }
    }

    /** Delivers to this instance's connections; also called for messages from other instances. */
    private void deliver(RedisRelay.Kind kind, String target, String except, String text) {
        switch (kind) {
            case ROOM -> {
                Set<WebSocketSession> set = members.get(target);
                if (set != null) {
                    for (WebSocketSession session : set) {
                        if (!session.id().equals(except)) {
                            session.sendText(text);
                        }
                    }
                }
            }
            case SESSION -> {
                WebSocketSession session = tracked.get(target);
                if (session != null) {
                    session.sendText(text);
                }
            }
            case USER -> {
                Set<WebSocketSession> set = users.get(target);
                if (set != null) {
                    set.forEach(session -> session.sendText(text));
                }
            }
        }
    }

    /**
     * Removes this instance's counts from Redis and disconnects (if Redis is used). The local
     * registry stays usable, and is no longer counted elsewhere.
     */
    @Override
    public void close() {
        if (counts != null) {
            counts.close(Set.copyOf(members.keySet()));
        }
        if (relay != null) {
            relay.close();
        }
    }

    /** Stops the heartbeat and disconnects without removing anything from Redis, as a crash would (tests). */
    void simulateCrash() {
        counts.stopHeartbeat();
        relay.close();
    }

    private static void checkName(String name, String what) {
        if (name == null || name.isEmpty() || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " must be non-empty and on one line, was " + name);
        }
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }
}
