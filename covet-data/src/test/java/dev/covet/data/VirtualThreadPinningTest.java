package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Do the drivers pin carrier threads when a virtual thread blocks inside them? JDK 25 has no
 * {@code -Djdk.tracePinnedThreads}; JFR's {@code jdk.VirtualThreadPinned} event is the way. 64 virtual
 * threads share a pool of 4 connections (so they park waiting for the pool) and run statements that
 * wait on the server (so they park on socket reads). Findings are in docs/data.md.
 */
class VirtualThreadPinningTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void blockingStatementsOnVirtualThreadsDoNotPinCarriers(Vendor vendor) throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor, b -> b.poolSize(4))) {
            t.db.update("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
            t.db.update("INSERT INTO counter (id, n) VALUES (1, 0)");
            String wait = switch (vendor) {
                case POSTGRESQL, POSTGRESQL_PIPELINED -> "SELECT 1 FROM pg_sleep(0.002)";
                case MARIADB, MYSQL -> "SELECT SLEEP(0.002)";
                case SQLITE -> "SELECT COUNT(*) FROM counter";
            };
            runWorkload(t.db, wait); // warm-up: one-time class initialization can pin once (see docs/data.md)
            Path file = Files.createTempFile("pinning-" + vendor, ".jfr");
            try (Recording recording = new Recording()) {
                recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                recording.start();
                runWorkload(t.db, wait);
                recording.stop();
                recording.dump(file);
            }
            List<RecordedEvent> pinned = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).toList();
            Files.deleteIfExists(file);
            Map<String, Integer> byFrame = new TreeMap<>();
            for (RecordedEvent e : pinned) {
                String top = e.getStackTrace() == null ? "?" : e.getStackTrace().getFrames().stream()
                        .map(RecordedFrame::getMethod).map(m -> m.getType().getName() + "." + m.getName())
                        .filter(n -> !n.startsWith("java.") && !n.startsWith("jdk.")).findFirst().orElse("jdk");
                byFrame.merge(top, 1, Integer::sum);
            }
            System.out.println("PINNING " + vendor + ": " + pinned.size() + " jdk.VirtualThreadPinned events " + byFrame);
            pinned.stream().limit(2).forEach(System.out::println);
            assertThat(t.db.queryOne("SELECT n FROM counter WHERE id = 1", Integer.class)).contains(1280);
            assertThat(pinned).as("pinned events by first non-JDK frame: " + byFrame).isEmpty();
        }
    }

    private static void runWorkload(Database db, String wait) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int j = 0; j < 10; j++) {
                    db.query(wait, Integer.class);
                    db.update("UPDATE counter SET n = n + 1 WHERE id = 1");
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
