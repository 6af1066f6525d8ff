package io.ordersaga.standalone.support;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A real browser for the page tests: Debian's headless Chromium, driven by its ChromeDriver over WebDriver (packages
 * {@code chromium} and {@code chromium-driver}; other paths with {@code -Dordersaga.it.chromium=...} and
 * {@code -Dordersaga.it.chromedriver=...}). Nothing is downloaded.
 */
public final class Browser implements AutoCloseable {

    private static final String CHROMIUM = System.getProperty("ordersaga.it.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("ordersaga.it.chromedriver", "/usr/bin/chromedriver");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static Browser start(Path profile) {
        for (String executable : new String[]{CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(executable))) {
                throw new IllegalStateException(executable + " is missing: the page tests need Chromium and its driver"
                        + " (Debian: apt-get install chromium chromium-driver)");
            }
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1400,2600",
                        "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Writes what the browser shows to {@code file} (PNG). */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            File shot = driver.getScreenshotAs(OutputType.FILE);
            return Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    static {
        // never let Selenium Manager look for a driver on the internet
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        System.setProperty("SE_AVOID_STATS", "true");
    }
}
