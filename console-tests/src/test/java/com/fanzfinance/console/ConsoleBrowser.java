package com.fanzfinance.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's, driven by its own chromedriver; Selenium Manager never downloads
 * anything) on the console: a fresh profile, downloads into a folder of the test's, the browser's console log
 * kept so that a script error or a blocked resource fails the test, and screenshots of each page.
 */
final class ConsoleBrowser implements AutoCloseable {
    private static final String CHROMIUM = System.getProperty("fanz.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("fanz.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    final Path downloads;
    private final URI base;
    private final Path screenshots;
    private final WebDriverWait wait;

    ConsoleBrowser(URI base, Path work, Path screenshots) {
        this.base = base;
        this.screenshots = screenshots;
        try {
            this.downloads = Files.createDirectories(work.resolve("downloads"));
            Path profile = Files.createDirectories(work.resolve("profile"));
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--window-size=1400,1000",
                "--user-data-dir=" + profile, "--lang=en-US");
            Map<String, Object> preferences = new HashMap<>();
            preferences.put("download.default_directory", downloads.toString());
            preferences.put("download.prompt_for_download", false);
            preferences.put("safebrowsing.enabled", false);
            options.setExperimentalOption("prefs", preferences);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
            this.driver = new ChromeDriver(service, options);
            this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
            // A page that re-renders under a wait (after an action) leaves stale elements: look again.
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens a page of the console ({@code #/payouts?status=held}) and waits until that very route has rendered: the
     * console marks each rendered route ({@code main[data-route]}); the mark is taken off first, so the page before
     * can never pass for this one.
     */
    void open(String hash) {
        String target = base.resolve("/console" + hash).toString();
        driver.executeScript("const m = document.getElementById('main'); if (m) { delete m.dataset.route; }");
        if (target.equals(driver.getCurrentUrl())) {
            driver.navigate().refresh();
        } else {
            driver.get(target);
        }
        wait.until(d -> !route().isEmpty());
        settle();
    }

    /** The number of the route on screen ("" before the first). */
    String route() {
        Object value = driver.executeScript("const m = document.getElementById('main'); return m ? (m.dataset.route || '') : ''");
        return value == null ? "" : value.toString();
    }

    /** Waits until the page shows no "Loading…" placeholder. */
    void settle() {
        wait.until(d -> d.findElements(By.xpath("//main//p[normalize-space()='Loading…']")).isEmpty()
            && !d.findElements(By.cssSelector("main h1")).isEmpty());
    }

    WebElement find(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void waitForText(By by, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    WebDriverWait waiting() {
        return wait;
    }

    String mainText() {
        return driver.findElement(By.id("main")).getText();
    }

    /** Types into the confirmation dialog and confirms. */
    void confirm(String note) {
        WebElement dialog = find(By.id("confirm"));
        WebElement field = dialog.findElement(By.id("confirm-note"));
        field.clear();
        field.sendKeys(note);
        dialog.findElement(By.id("confirm-ok")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
    }

    /** A file the console downloaded, once it is complete. */
    Path downloaded(String name) {
        Path file = downloads.resolve(name);
        wait.until(d -> Files.exists(file));
        return file;
    }

    /**
     * Saves a screenshot of the whole page, not only the window, as {@code <name>.png} in the screenshots folder.
     * The last actions' passing messages ("Payout approved.") are taken off first: they belong to the step before.
     */
    void screenshot(String name) {
        try {
            Files.createDirectories(screenshots);
            driver.executeScript("document.getElementById('status').replaceChildren()");
            Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
            long height = Math.min(4000, ((Number) size.get("height")).longValue());
            Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", 1400, "height", height, "scale", 1);
            Object data = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", clip)).get("data");
            Files.write(screenshots.resolve(name + ".png"), Base64.getDecoder().decode((String) data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Form controls of the page that have no label (neither a label element nor aria-label). */
    @SuppressWarnings("unchecked")
    List<String> unlabelledControls() {
        return (List<String>) ((JavascriptExecutor) driver).executeScript("""
            return Array.from(document.querySelectorAll('input, select, textarea'))
              .filter(e => e.offsetParent !== null || e.closest('dialog[open]'))
              .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))
              .map(e => e.outerHTML.slice(0, 120));""");
    }

    /**
     * The browser console's errors since the last call (script errors, blocked resources, failed requests), but
     * for the failed requests whose status is one of {@code expected} (a 404 that a step provokes on purpose).
     */
    List<String> consoleErrorsBut(int... expected) {
        return consoleErrors().stream().filter(message -> java.util.Arrays.stream(expected)
            .noneMatch(status -> message.contains("status of " + status + " "))).toList();
    }

    /** The browser console's errors since the last call (script errors, blocked resources, failed requests). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
