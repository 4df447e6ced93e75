package org.mcsfhir.it.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard on the shared test server, which runs open (no issuer) on loopback: the page shows the audit without
 * asking anyone to sign in, with the filters its address names; a table of more than 500 rows comes in pages. H2
 * execution only, as every browser test.
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
            browser.assertViewDraws("survival");
            browser.screenshot("0-open-mode");
            assertThat(browser.consoleErrors(server.root())).isEmpty();
        }
    }

    @Test
    void aTableOfMoreThan500Rows_comesInPagesOf500() {
        ServerProcess server = TestServer.get();
        String pump = "it-dashboard-paged-" + UUID.randomUUID().toString().substring(0, 8);
        put(
                server,
                "Patient/" + pump + "-patient",
                "{\"resourceType\":\"Patient\",\"id\":\"" + pump
                        + "-patient\",\"gender\":\"female\",\"birthDate\":\"1961-04-02\"}");
        put(
                server,
                "Device/" + pump,
                "{\"resourceType\":\"Device\",\"id\":\"" + pump
                        + "\",\"status\":\"active\",\"patient\":{\"reference\":\"Patient/" + pump + "-patient\"}}");
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 700; i++) {
            ndjson.append(String.format(
                    Locale.ROOT, "{\"time\":\"%s\",\"pump-flow\":%.2f}%n", start.plusSeconds(i), 2.0 + i / 1000.0));
        }
        Response samples = RestAssured.given()
                .contentType("application/x-ndjson")
                .body(ndjson.toString().getBytes(StandardCharsets.UTF_8))
                .post(server.root() + "/telemetry/v1/devices/" + pump + "/samples");
        assertThat(samples.statusCode()).as(samples.asString()).isBetween(200, 202);
        try (Browser browser = new Browser()) {
            browser.open(server.root() + "/dashboard/");
            browser.waitFor(By.cssSelector("body[data-ready=true]"));
            browser.showView("telemetry");
            new Select(browser.driver.findElement(By.id("t-device"))).selectByValue(pump);
            browser.driver.executeScript(
                    "document.getElementById('t-start').value = arguments[0];"
                            + "document.getElementById('t-end').value = arguments[1];",
                    start.toString().substring(0, 19),
                    start.plusSeconds(700).toString().substring(0, 19));
            browser.driver.findElement(By.id("t-show")).click();
            browser.waitFor(By.cssSelector("#view-telemetry[data-state=ready] table[data-table=telemetry]"));
            Map<String, Map<String, String>> first = browser.table("telemetry");
            assertThat(first).hasSize(500).containsKey(String.valueOf(start.getEpochSecond()));
            assertThat(browser.driver
                            .findElement(By.cssSelector("#view-telemetry .pager [role=status]"))
                            .getText())
                    .isEqualTo("rows 1–500 of 700");
            browser.driver
                    .findElement(By.cssSelector("#view-telemetry .pager [data-page=next]"))
                    .click();
            Map<String, Map<String, String>> second = browser.table("telemetry");
            assertThat(second).hasSize(200).containsKey(String.valueOf(start.getEpochSecond() + 500));
            assertThat(second.get(String.valueOf(start.getEpochSecond() + 699)).get("flow"))
                    .isEqualTo("2.70");
            assertThat(browser.driver
                            .findElement(By.cssSelector("#view-telemetry .pager [data-page=next]"))
                            .isEnabled())
                    .isFalse();
            assertThat(browser.consoleErrors(server.root())).isEmpty();
        }
    }

    private static void put(ServerProcess server, String path, String body) {
        Response response = RestAssured.given()
                .contentType("application/fhir+json")
                .body(body)
                .put(server.fhirBase() + "/" + path);
        assertThat(response.statusCode()).as(response.asString()).isIn(200, 201);
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
            assertThat(browser.headlineInsertions()).isEqualTo(String.valueOf(insertions));
            browser.assertViewDraws("survival");
            assertThat(browser.consoleErrors(server.root())).isEmpty();
        }
    }
}
