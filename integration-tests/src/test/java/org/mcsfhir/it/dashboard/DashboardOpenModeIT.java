package org.mcsfhir.it.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;
import org.openqa.selenium.By;

/**
 * The dashboard on the shared test server, which runs open (no issuer) on loopback: the page shows the audit without
 * asking anyone to sign in, with the filters its address names. H2 execution only, as every browser test.
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

    @Test
    void filtersInTheAddress_areTheFiltersTheDashboardOpensWith() {
        ServerProcess server = TestServer.get();
        String filters = "periodStart=2001-01-01&periodEnd=2024-12-31&sex=female&ageBand=65-74";
        Response audit = RestAssured.get(server.fhirBase() + "/Measure/$audit?" + filters);
        assertThat(audit.statusCode()).as(audit.asString()).isEqualTo(200);
        int insertions = audit.jsonPath()
                .getInt("entry.find { it.resource.id == 'mcs-audit-insertions' }.resource.group"
                        + ".find { it.code.text == 'insertions' }.population[0].count");
        try (Browser browser = new Browser()) {
            browser.open(server.root() + "/dashboard/?" + filters);
            browser.waitFor(By.cssSelector("#headline[data-insertions]"));
            assertThat(browser.driver.findElement(By.id("f-periodStart")).getAttribute("value"))
                    .isEqualTo("2001-01-01");
            assertThat(browser.driver.findElement(By.id("f-periodEnd")).getAttribute("value"))
                    .isEqualTo("2024-12-31");
            assertThat(browser.driver.findElement(By.id("f-sex")).getAttribute("value"))
                    .isEqualTo("female");
            assertThat(browser.driver.findElement(By.id("f-ageBand")).getAttribute("value"))
                    .isEqualTo("65-74");
            assertThat(browser.driver.findElement(By.id("headline")).getAttribute("data-insertions"))
                    .isEqualTo(String.valueOf(insertions));
            assertThat(browser.showView("survival"))
                    .as(browser.viewText("survival"))
                    .isEqualTo("ready");
            assertThat(browser.consoleErrors(server.root())).isEmpty();
        }
    }
}
