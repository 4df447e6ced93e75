package org.mcsfhir.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver (both from {@code apt-get install chromium
 * chromium-driver}). Shared because the dashboard's browser ITs and the dashboard benchmark must see the page in the
 * same browser, with the same window and flags. Nothing is downloaded: the driver and browser paths are given, so
 * Selenium Manager is not asked. Callers pass the paths from their own system properties.
 */
public final class HeadlessChromium {

    public static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";
    public static final String DEFAULT_CHROMEDRIVER = "/usr/bin/chromedriver";

    private HeadlessChromium() {}

    /** Headless, sandbox-less (containers), 1280×1600, no GPU, extensions or first-run pages. */
    public static ChromeOptions options(String chromium) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1280,1600",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions");
        return options;
    }

    /** Starts the browser through {@code chromedriver} on a free port; scripts may run for {@code scriptTimeout}. */
    public static ChromeDriver start(ChromeOptions options, String chromedriver, Duration scriptTimeout) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(chromedriver).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(scriptTimeout);
        return driver;
    }
}
