package dev.covet.demo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Debian Chromium with its own empty profile (so two of them are two users who share
 * nothing), driven through Debian's chromedriver by Selenium.
 *
 * <p>Nothing is downloaded: the driver is given by path (and {@code webdriver.chrome.driver}), the
 * browser binary too, so Selenium Manager is never consulted; and the browser is started with its
 * background networking off, because on this closed network it would otherwise keep trying to reach
 * Google. {@link #close()} quits the driver, stops chromedriver, and then kills by PID any process
 * still running with this profile directory on its command line, so no browser outlives its test,
 * even one that failed half-way.
 */
final class Chromium implements AutoCloseable {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final String INSTALL = "apt-get install -y chromium chromium-driver";
    static final Duration TIMEOUT = Duration.ofSeconds(30); // per wait; generous for a loaded 2-core CI machine

    private final Path profile;
    private final ChromeDriverService service;
    final ChromeDriver driver;

    private Chromium(Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    /** Fails (never skips) the calling test if Debian's chromium or chromedriver is missing. */
    static void requireInstalled() {
        requireInstalled(BROWSER, DRIVER);
    }

    static void requireInstalled(Path browser, Path driver) {
        for (Path executable : List.of(browser, driver)) {
            if (!Files.isExecutable(executable)) {
                fail(executable + " is missing: the browser test needs Debian's Chromium; run `" + INSTALL
                        + "` (bin/test installs it when missing)");
            }
        }
    }

    static Chromium start() {
        requireInstalled();
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("covet-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile()).addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            killLeftovers(profile);
            deleteProfile(profile);
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(TIMEOUT).scriptTimeout(TIMEOUT);
        return new Chromium(profile, service, driver);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            killLeftovers(profile);
            deleteProfile(profile);
        }
    }

    /** Kills, by PID, the processes whose command line names this browser's profile directory. */
    private static void killLeftovers(Path profile) {
        String marker = "--user-data-dir=" + profile;
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .toList();
        leftovers.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : leftovers) {
            process.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        }
    }

    private static void deleteProfile(Path profile) {
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the browser profile " + profile, e);
        }
    }
}
