package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.testkit.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.opentest4j.AssertionFailedError;

/**
 * The demo's /chat page as two people use it: two headless Chromium browsers with separate profiles
 * against the demo app on a random port. Every wait is explicit (a condition, up to
 * {@link Chromium#TIMEOUT}); there are no sleeps.
 */
class ChatBrowserTest {
    private TestServer server;
    private final List<Chromium> browsers = new ArrayList<>();

    @AfterEach
    void stop() {
        try {
            for (Chromium browser : browsers) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Opens /chat in a new browser and joins {@code room} as {@code user}. */
    private Chromium join(String user, String room) {
        Chromium browser = Chromium.start();
        browsers.add(browser);
        browser.driver.get(server.uri("/chat").toString());
        browser.driver.findElement(By.id("user")).sendKeys(user);
        WebElement roomField = browser.driver.findElement(By.id("room"));
        roomField.clear();
        roomField.sendKeys(room);
        browser.driver.findElement(By.cssSelector("#join button")).click();
        waitFor(browser, "the chat of " + user, b -> b.driver.findElement(By.id("chat")).isDisplayed());
        return browser;
    }

    private static void waitFor(Chromium browser, String what, java.util.function.Predicate<Chromium> condition) {
        new WebDriverWait(browser.driver, Chromium.TIMEOUT).withMessage(what)
                .until(driver -> condition.test(browser));
    }

    private static void awaitMembers(Chromium browser, int members) {
        waitFor(browser, members + " members shown", b -> b.driver.findElement(By.id("members")).getText().equals(String.valueOf(members)));
    }

    private static List<String> lines(Chromium browser, String kind) {
        return browser.driver.findElements(By.cssSelector("#messages li." + kind)).stream().map(WebElement::getText).toList();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aMessageTypedByOneUserAppearsForTheOtherAndLeavingUpdatesTheCount() {
        Chromium.requireInstalled(); // before the server: a missing browser fails with the apt command
        server = TestServer.start(DemoApp.create());
        Chromium alice = join("alice", "e2e");
        awaitMembers(alice, 1);
        Chromium bob = join("bob", "e2e");
        awaitMembers(bob, 2);
        awaitMembers(alice, 2);
        waitFor(alice, "bob's arrival", b -> lines(b, "presence").contains("bob joined"));

        // Markup in a message is shown as text, never run or rendered.
        String text = "hi bob <img src=x onerror=\"document.title='owned'\"> & <b>bye</b>";
        alice.driver.findElement(By.id("text")).sendKeys(text);
        alice.driver.findElement(By.cssSelector("#send button")).click();
        waitFor(bob, "alice's message", b -> lines(b, "message").contains("alice: " + text));
        waitFor(alice, "alice's own message", b -> lines(b, "message").contains("alice: " + text));
        assertThat(bob.driver.findElements(By.cssSelector("#messages img, #messages b b"))).isEmpty();
        assertThat(bob.driver.getTitle()).isEqualTo("Covet chat");

        bob.driver.findElement(By.id("leave")).click();
        waitFor(bob, "bob's join form again", b -> b.driver.findElement(By.id("join")).isDisplayed());
        awaitMembers(alice, 1);
        waitFor(alice, "bob's departure", b -> lines(b, "presence").contains("bob left"));
    }

    @Test
    void aMissingBrowserFailsTheTestNamingTheAptCommandInsteadOfSkippingIt() {
        assertThatThrownBy(() -> Chromium.requireInstalled(Path.of("/nonexistent/chromium"), Chromium.DRIVER))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("/nonexistent/chromium is missing")
                .hasMessageContaining("apt-get install -y chromium chromium-driver");
    }
}
