package dev.covet.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.Covet;
import dev.covet.testkit.TcpProxy;
import dev.covet.testkit.TestResponse;
import dev.covet.testkit.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    static final String PREFIX = "covet-test:" + UUID.randomUUID() + ":";

    @AfterAll
    static void cleanUp() {
        RedisClient client = RedisTestSupport.client(6379);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisTestSupport.deleteKeys(connection.sync(), PREFIX);
        } finally {
            client.shutdown();
        }
    }

    static Covet app(RateLimiter limiter, AtomicInteger handled) {
        Covet app = Covet.create();
        app.use(limiter);
        app.get("/limited", ctx -> {
            handled.incrementAndGet();
            ctx.text("ok");
        });
        return app;
    }

    static TestResponse get(TestServer server, String forwardedFor) {
        return server.send(server.request("/limited").header("X-Forwarded-For", forwardedFor).GET());
    }

    @Test
    void requestsOverTheLimitGet429WithRetryAfterAndNeverReachTheHandler() {
        AtomicInteger handled = new AtomicInteger();
        try (TestServer server = TestServer.start(app(RateLimiter.builder("t", RateLimit.of(3, Duration.ofMinutes(1))).build(), handled))) {
            for (int remaining = 2; remaining >= 0; remaining--) {
                TestResponse ok = server.get("/limited");
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.header("RateLimit-Limit")).contains("3");
                assertThat(ok.header("RateLimit-Remaining")).contains(Integer.toString(remaining));
                assertThat(ok.header("RateLimit-Policy")).contains("3;w=60");
            }
            TestResponse refused = server.get("/limited");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 20L));
            assertThat(refused.header("RateLimit-Remaining")).contains("0");
            assertThat(refused.header("RateLimit-Reset")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
            assertThat(refused.body()).contains("urn:covet:problem:rate-limited");
            assertThat(handled.get()).isEqualTo(3);
        }
    }

    @Test
    void aClientCannotEscapeTheLimitBySpoofingXForwardedForWhenItIsNotATrustedProxy() {
        AtomicInteger handled = new AtomicInteger();
        RateLimiter limiter = RateLimiter.builder("t", RateLimit.of(2, Duration.ofMinutes(1)))
                .key(RateLimitKey.clientIp(ClientIp.direct())).build();
        try (TestServer server = TestServer.start(app(limiter, handled))) {
            for (int i = 0; i < 5; i++) {
                get(server, "198.51.100." + i);
            }
            assertThat(handled.get()).isEqualTo(2);
        }
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnBucket() {
        AtomicInteger handled = new AtomicInteger();
        RateLimiter limiter = RateLimiter.builder("t", RateLimit.of(1, Duration.ofMinutes(1)))
                .key(RateLimitKey.clientIp(ClientIp.trustingProxies("127.0.0.1", "::1"))).build();
        try (TestServer server = TestServer.start(app(limiter, handled))) {
            assertThat(get(server, "203.0.113.1").status()).isEqualTo(200);
            assertThat(get(server, "203.0.113.2").status()).isEqualTo(200);
            assertThat(get(server, "203.0.113.1").status()).isEqualTo(429);
            // A spoofed left part does not change who the client is: the first untrusted hop from the right.
            assertThat(get(server, "1.1.1.1, 203.0.113.1").status()).isEqualTo(429);
        }
    }

    @Test
    void theClientIpIsTheFirstUntrustedHopFromTheRight() {
        ClientIp trusting = ClientIp.trustingProxies("127.0.0.1", "10.0.0.0/8", "::1");
        Covet app = Covet.create();
        app.get("/ip", ctx -> ctx.text(trusting.of(ctx) + " " + ClientIp.direct().of(ctx)));
        try (TestServer server = TestServer.start(app)) {
            java.util.function.Function<String, String> ip = xff -> server.send(server.request("/ip")
                    .header("X-Forwarded-For", xff).GET()).body();
            assertThat(ip.apply("203.0.113.9, 10.1.2.3")).isEqualTo("203.0.113.9 127.0.0.1");
            assertThat(ip.apply("6.6.6.6, 203.0.113.9, 10.9.9.9")).isEqualTo("203.0.113.9 127.0.0.1");
            assertThat(ip.apply("10.1.1.1, 10.2.2.2")).isEqualTo("10.1.1.1 127.0.0.1");
            assertThat(ip.apply("203.0.113.9, not-an-ip")).isEqualTo("127.0.0.1 127.0.0.1");
            assertThat(ip.apply("::ffff:203.0.113.9")).isEqualTo("203.0.113.9 127.0.0.1");
            assertThat(ip.apply("2001:db8::1")).isEqualTo("2001:db8:0:0:0:0:0:1 127.0.0.1");
            assertThat(server.get("/ip").body()).isEqualTo("127.0.0.1 127.0.0.1");
        }
    }

    @Test
    void limitsByUserGiveEachAuthenticatedUserABucket() {
        JwtKeySet keys = JwtKeySet.of(JwtKey.generate("k", JwtAlgorithm.HS256));
        JwtIssuer issuer = JwtIssuer.builder(keys).build();
        Covet app = Covet.create();
        app.use(BearerAuth.create(JwtVerifier.builder(keys).build()));
        app.use(RateLimiter.builder("user", RateLimit.of(1, Duration.ofMinutes(1))).key(RateLimitKey.user(ClientIp.direct())).build());
        app.get("/me", ctx -> ctx.text("ok"));
        try (TestServer server = TestServer.start(app)) {
            java.util.function.Function<String, Integer> as = user -> server.send(server.request("/me")
                    .header("Authorization", "Bearer " + issuer.issue(user)).GET()).status();
            assertThat(as.apply("alice")).isEqualTo(200);
            assertThat(as.apply("bob")).isEqualTo(200);
            assertThat(as.apply("alice")).isEqualTo(429);
        }
    }

    @Test
    void aRouteKeyGivesEachPathItsOwnBucketPerClient() {
        Covet app = Covet.create();
        app.use(RateLimiter.builder("routes", RateLimit.of(1, Duration.ofMinutes(1)))
                .key(RateLimitKey.clientIp(ClientIp.direct()).and(RateLimitKey.route())).build());
        app.get("/a", ctx -> ctx.text("a"));
        app.get("/b", ctx -> ctx.text("b"));
        try (TestServer server = TestServer.start(app)) {
            assertThat(server.get("/a").status()).isEqualTo(200);
            assertThat(server.get("/b").status()).isEqualTo(200);
            assertThat(server.get("/a").status()).isEqualTo(429);
        }
    }

    @Test
    void theInMemoryStoreStaysBoundedWhenAttackersRotateKeys() {
        RateLimitStore.InMemory store = (RateLimitStore.InMemory) RateLimitStore.inMemory();
        RateLimit limit = RateLimit.of(10, Duration.ofMinutes(1));
        for (int i = 0; i < RateLimitStore.InMemory.MAX_KEYS + 5_000; i++) {
            store.tryConsume("spoofed-" + i, limit);
        }
        assertThat(store.size()).isLessThanOrEqualTo(RateLimitStore.InMemory.MAX_KEYS);
    }

    @Nested
    class InRedis {
        @Test
        void twoInstancesSharingRedisEnforceOneLimitTogether() {
            RedisClient client = RedisTestSupport.client(6379);
            String prefix = PREFIX + "shared:";
            AtomicInteger handled = new AtomicInteger();
            try (RateLimitStore storeA = RateLimitStore.redis(client, prefix, Duration.ofSeconds(2));
                 RateLimitStore storeB = RateLimitStore.redis(client, prefix, Duration.ofSeconds(2));
                 TestServer a = TestServer.start(app(RateLimiter.builder("t", RateLimit.of(4, Duration.ofMinutes(1))).store(storeA).build(), handled));
                 TestServer b = TestServer.start(app(RateLimiter.builder("t", RateLimit.of(4, Duration.ofMinutes(1))).store(storeB).build(), handled))) {
                int ok = 0;
                for (int i = 0; i < 5; i++) {
                    ok += a.get("/limited").status() == 200 ? 1 : 0;
                    ok += b.get("/limited").status() == 200 ? 1 : 0;
                }
                assertThat(ok).isEqualTo(4);
                assertThat(b.get("/limited").header("RateLimit-Remaining")).contains("0");
            } finally {
                client.shutdown();
            }
        }

        @Test
        void whenRedisIsDownFailOpenServesAndFailClosedAnswers503ThenBothRecover() throws Exception {
            try (TcpProxy proxy = TcpProxy.to(6379)) {
                RedisClient client = RedisTestSupport.client(proxy.port());
                String prefix = PREFIX + "down:";
                AtomicInteger handled = new AtomicInteger();
                try (RateLimitStore store = RateLimitStore.redis(client, prefix, Duration.ofMillis(300));
                     TestServer open = TestServer.start(app(RateLimiter.builder("open", RateLimit.of(100, Duration.ofMinutes(1)))
                             .store(store).whenStoreFails(RateLimiter.FailurePolicy.FAIL_OPEN).build(), handled));
                     TestServer closed = TestServer.start(app(RateLimiter.builder("closed", RateLimit.of(100, Duration.ofMinutes(1)))
                             .store(store).whenStoreFails(RateLimiter.FailurePolicy.FAIL_CLOSED).build(), handled))) {
                    assertThat(open.get("/limited").header("RateLimit-Remaining")).contains("99");
                    assertThat(closed.get("/limited").status()).isEqualTo(200);

                    proxy.cut();
                    TestResponse servedUnlimited = open.get("/limited");
                    assertThat(servedUnlimited.status()).isEqualTo(200);
                    assertThat(servedUnlimited.header("RateLimit-Remaining")).isEmpty();
                    TestResponse refused = closed.get("/limited");
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.header("Retry-After")).contains("5");
                    assertThat(refused.body()).doesNotContain("Redis", "127.0.0.1", String.valueOf(proxy.port()));

                    proxy.restore();
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    TestResponse recovered;
                    do {
                        Thread.sleep(200);
                        recovered = closed.get("/limited");
                    } while (recovered.status() != 200 && System.nanoTime() < deadline);
                    assertThat(recovered.status()).isEqualTo(200);
                    assertThat(recovered.header("RateLimit-Remaining")).isPresent();
                } finally {
                    client.shutdown();
                }
            }
        }
    }
}
