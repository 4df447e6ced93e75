package org.mcsfhir.it.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;
import org.openqa.selenium.By;

/**
 * The dashboard on the shared test server, which runs open (no issuer) on loopback: the page shows the audit without
 * asking anyone to sign in. H2 execution only, as every browser test.
 */
@Tag("h2-only")
class DashboardOpenModeIT {

    @Test
    void openModeOnLoopback_showsTheDashboardWithoutSignIn() {
        ServerProcess server = TestServer.get();
        try (Browser browser = new Browser()) {
            browser.open(server.root() + "/");
            browser.waitFor(By.cssSelector("body[data-ready=true]"));
            assertThat(browser.driver.getCurrentUrl()).endsWith("/dashboard/");
            assertThat(browser.driver.findElement(By.id("sign-in")).isDisplayed())
                    .isFalse();
            assertThat(browser.driver.findElement(By.id("session")).getText()).contains("Open mode");
            browser.waitFor(By.cssSelector("#headline[data-insertions]"));
            assertThat(browser.showView("survival"))
                    .as(browser.viewText("survival"))
                    .isEqualTo("ready");
            browser.screenshot("0-open-mode");
            assertThat(browser.consoleErrors(server.root())).isEmpty();
        }
    }
}
