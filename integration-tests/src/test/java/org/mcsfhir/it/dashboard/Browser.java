package org.mcsfhir.it.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.mcsfhir.testsupport.HeadlessChromium;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard tests' {@link HeadlessChromium} ({@code .ci/run} installs chromium and chromedriver when missing;
 * {@code -Dmcs.it.chromium}, {@code -Dmcs.it.chromedriver}), with the browser console kept for the tests to read and
 * screenshots written to {@code target/dashboard-screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(90);

    final ChromeDriver driver;

    Browser() {
        ChromeOptions options =
                HeadlessChromium.options(System.getProperty("mcs.it.chromium", HeadlessChromium.DEFAULT_CHROMIUM));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = HeadlessChromium.start(
                options, System.getProperty("mcs.it.chromedriver", HeadlessChromium.DEFAULT_CHROMEDRIVER), WAIT);
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement waitFor(By locator) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    WebElement waitVisible(By locator) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** Opens a view's tab and waits until the view has drawn (or failed: the state says which). */
    String showView(String view) {
        driver.findElement(By.id("tab-" + view)).click();
        WebElement panel = driver.findElement(By.id("view-" + view));
        new WebDriverWait(driver, WAIT).until(d -> {
            String state = panel.getAttribute("data-state");
            return state != null && !state.equals("loading");
        });
        return panel.getAttribute("data-state");
    }

    /** Opens a view's tab and asserts that it drew, with the page's own problem text if it did not. */
    void assertViewDraws(String view) {
        assertThat(showView(view)).as(viewText(view)).isEqualTo("ready");
    }

    /** The insertions the headline counts. */
    String headlineInsertions() {
        return driver.findElement(By.id("headline")).getAttribute("data-insertions");
    }

    /** The page's own problem text for a view that did not draw, for assertion messages. */
    String viewText(String view) {
        return driver.findElement(By.id("view-" + view)).getText();
    }

    /**
     * Console entries at SEVERE (errors, failed requests, uncaught exceptions) since the last call, of the pages of
     * {@code origin}: the issuer's sign-in page is not ours (mock-oauth2-server's asks for a web font it cannot have).
     */
    List<String> consoleErrors(String origin) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> message.startsWith(origin + "/") || !message.startsWith("http"))
                .toList();
    }

    /** The cell texts of a table of the page ({@code data-table} = id), row key → column key → text. */
    Map<String, Map<String, String>> table(String id) {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, String>> rows = (Map<String, Map<String, String>>) driver.executeScript("""
                const rows = {};
                document.querySelectorAll('table[data-table="' + arguments[0] + '"] tbody tr').forEach(tr => {
                  const cells = {};
                  tr.querySelectorAll('td[data-col]').forEach(td => { cells[td.dataset.col] = td.textContent; });
                  cells.label = tr.querySelector('th') ? tr.querySelector('th').textContent : '';
                  cells.smallCell = String(tr.classList.contains('mcs-small-cell'));
                  rows[tr.dataset.key] = cells;
                });
                return rows;""", id);
        return rows;
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
