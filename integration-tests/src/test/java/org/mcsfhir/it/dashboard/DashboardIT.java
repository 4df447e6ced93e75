package org.mcsfhir.it.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.security.SecureServer.claims;
import static org.mcsfhir.it.security.SecureServer.fhir;
import static org.mcsfhir.it.security.SecureServer.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.security.SecureServer;
import org.mcsfhir.it.support.ServerProcess;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The governance dashboard in a real browser (headless Chromium) against the packaged jar with security on: the page
 * signs in through the OAuth2 server's own sign-in form (authorization code + PKCE, end to end), draws every view
 * without a console error, and shows the server's own figures; a centre's EHR sees only its centre; the page's files
 * load without a token while the FHIR API still wants one. Screenshots: {@code target/dashboard-screenshots/}.
 * Browser tests run in the H2 execution only: the page does not depend on the database.
 */
@Tag("h2-only")
class DashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCOPE =
            "openid user/MeasureReport.rs user/Task.rs user/Device.rs user/Observation.rs" + " user/Organization.rs";
    private static final List<String> VIEWS =
            List.of("survival", "funnel", "safety", "outcomes", "completeness", "telemetry");
    private static final int SAMPLES = 300;

    private static ServerProcess server;
    private static DashboardCohort cohort;
    private static Instant telemetryStart;

    @BeforeAll
    static void storeTheCohort() {
        server = SecureServer.get();
        cohort = DashboardCohort.store("a", 15, 13L);
        telemetryStart = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        sendTelemetry(cohort.centres.get(0), cohort.pumps.get(0));
    }

    private static void sendTelemetry(String centre, String pump) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < SAMPLES; i++) {
            ndjson.append(String.format(
                    Locale.ROOT,
                    "{\"time\":\"%s\",\"pump-flow\":%.2f,\"performance-level\":%d,\"motor-current\":%d}%n",
                    telemetryStart.plusSeconds(i),
                    3.0 + (i % 20) / 100.0,
                    6 + (i / 100),
                    600 + i % 17));
        }
        String gateway = token("it-dashboard-gateway", claims("device-gateway", centre, "system/Observation.cu"));
        Response response = RestAssured.given()
                .header("Authorization", "Bearer " + gateway)
                .contentType("application/x-ndjson")
                .body(ndjson.toString().getBytes(StandardCharsets.UTF_8))
                .post(server.root() + "/telemetry/v1/devices/" + pump + "/samples");
        assertThat(response.statusCode()).as(response.asString()).isBetween(200, 202);
    }

    private static String claimsJson(String kind, String centre) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", "mcs-fhir");
        claims.put("mcs_client_kind", kind);
        if (centre != null) {
            claims.put("mcs_centre", centre);
        }
        claims.put("scope", SCOPE);
        try {
            return JSON.writeValueAsString(claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens the server's root, signs in on the issuer's form, and sets the period of the cohort. */
    private static void signIn(Browser browser, String user, String claims) {
        browser.open(server.root() + "/");
        signInOnTheForm(browser, user, claims);
        browser.driver.executeScript(
                "document.getElementById('f-periodStart').value = arguments[0];"
                        + "document.getElementById('f-periodEnd').value = arguments[1];",
                DashboardCohort.PERIOD_START.toString(),
                DashboardCohort.PERIOD_END.toString());
        browser.driver.findElement(By.id("apply")).click();
        browser.waitFor(By.cssSelector("#headline[data-insertions]"));
    }

    /** Opens the page with the cohort's period in its address and signs in: the period outlasts the round trip. */
    private static void signInWithPeriodInAddress(Browser browser, String user, String claims) {
        browser.open(server.root() + "/dashboard/?" + period());
        signInOnTheForm(browser, user, claims);
        browser.waitFor(By.cssSelector("#headline[data-insertions]"));
        assertThat(browser.driver.findElement(By.id("f-periodStart")).getAttribute("value"))
                .isEqualTo(DashboardCohort.PERIOD_START.toString());
        assertThat(browser.driver.findElement(By.id("f-periodEnd")).getAttribute("value"))
                .isEqualTo(DashboardCohort.PERIOD_END.toString());
    }

    private static void signInOnTheForm(Browser browser, String user, String claims) {
        browser.waitVisible(By.id("sign-in-button")).click();
        browser.waitVisible(By.name("username")).sendKeys(user);
        browser.driver.findElement(By.name("claims")).sendKeys(claims);
        browser.driver.findElement(By.cssSelector("input[type=submit]")).click();
        browser.waitFor(By.cssSelector("body[data-ready=true]"));
    }

    private static JsonNode get(String token, String path) {
        Response response = fhir(token).get(path);
        assertThat(response.statusCode()).as(path + ": " + response.asString()).isEqualTo(200);
        try {
            return JSON.readTree(response.asString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String period() {
        return "periodStart=" + DashboardCohort.PERIOD_START + "&periodEnd=" + DashboardCohort.PERIOD_END;
    }

    private static JsonNode report(JsonNode bundle, String id) {
        for (JsonNode entry : bundle.path("entry")) {
            if (entry.path("resource").path("id").asText().equals(id)) {
                return entry.path("resource");
            }
        }
        throw new AssertionError("no MeasureReport " + id);
    }

    private static JsonNode group(JsonNode report, String code) {
        for (JsonNode g : report.path("group")) {
            if (g.path("code").path("text").asText().equals(code)) {
                return g;
            }
        }
        throw new AssertionError("no group " + code);
    }

    private static int insertions(JsonNode audit) {
        return group(report(audit, "mcs-audit-insertions"), "insertions")
                .path("population")
                .get(0)
                .path("count")
                .asInt();
    }

    /** The page's "S(t)" cell: the score to 3 decimals, then its CI when the server gives one. */
    private static String survivalCell(JsonNode audit, String code) {
        JsonNode g = group(report(audit, "mcs-audit-survival"), code);
        String text = String.format(
                Locale.ROOT, "%.3f", g.path("measureScore").path("value").asDouble());
        for (JsonNode ext : g.path("extension")) {
            if (ext.path("url").asText().endsWith("mcs-confidence-interval")) {
                text += String.format(
                        Locale.ROOT,
                        " (%.3f–%.3f)",
                        ext.path("valueRange").path("low").path("value").asDouble(),
                        ext.path("valueRange").path("high").path("value").asDouble());
            }
        }
        return text;
    }

    /** The value of a Parameters part (any value[x]) of a node with parts. */
    private static JsonNode part(JsonNode node, String name) {
        for (JsonNode p : node.path(node.has("parameter") ? "parameter" : "part")) {
            if (p.path("name").asText().equals(name)) {
                var values = p.fieldNames();
                while (values.hasNext()) {
                    String field = values.next();
                    if (field.startsWith("value")) {
                        return p.get(field);
                    }
                }
                return p;
            }
        }
        return null;
    }

    private static List<JsonNode> parts(JsonNode node, String name) {
        List<JsonNode> list = new ArrayList<>();
        node.path(node.has("parameter") ? "parameter" : "part").forEach(p -> {
            if (p.path("name").asText().equals(name)) {
                list.add(p);
            }
        });
        return list;
    }

    @Test
    void registrySignsInWithPkce_everyViewDrawsWithoutConsoleErrors_andShowsTheServersFigures_alsoFiltered() {
        String registry = token("it-dashboard-registry", claims("registry", null, SCOPE));
        JsonNode audit = get(registry, "/Measure/$audit?" + period());
        JsonNode charts = get(registry, "/Measure/$audit-charts?" + period());
        String centre = "Organization/" + cohort.centres.get(0);
        try (Browser browser = new Browser()) {
            signIn(browser, "governance-lead", claimsJson("registry", null));
            assertThat(browser.headlineInsertions())
                    .isEqualTo(String.valueOf(insertions(audit)))
                    .isEqualTo("30");

            browser.assertViewDraws("survival");
            Map<String, String> overall = browser.table("survival").get("all");
            assertThat(overall.get("s30")).isEqualTo(survivalCell(audit, "survival-30d"));
            assertThat(overall.get("s180")).isEqualTo(survivalCell(audit, "survival-180d"));
            assertThat(overall.get("s365")).isEqualTo(survivalCell(audit, "survival-1y"));
            new Select(browser.driver.findElement(By.id("stratifier"))).selectByValue("centre");
            browser.waitFor(By.cssSelector(
                    "#view-survival[data-state=ready] table[data-table=survival] tr[data-key='" + centre + "']"));
            browser.screenshot("1-survival");

            browser.assertViewDraws("funnel");
            JsonNode mortality = parts(charts, "funnel").stream()
                    .filter(f -> part(f, "measure").asText().equals("mortality-30d"))
                    .findFirst()
                    .orElseThrow();
            JsonNode point = parts(mortality, "centre").stream()
                    .filter(c -> part(c, "centre").asText().equals(centre))
                    .findFirst()
                    .orElseThrow();
            Map<String, String> shown = browser.table("funnel-mortality-30d").get(centre);
            assertThat(shown.get("n")).isEqualTo(part(point, "n").asText());
            assertThat(shown.get("events")).isEqualTo(part(point, "events").asText());
            assertThat(shown.get("rate"))
                    .isEqualTo(String.format(
                            Locale.ROOT, "%.3f", part(point, "rate").asDouble()));
            browser.screenshot("2-funnel");

            browser.assertViewDraws("safety");
            String chosen = new Select(browser.driver.findElement(By.id("safety-centre")))
                    .getFirstSelectedOption()
                    .getAttribute("value");
            JsonNode safety = parts(charts, "safety").stream()
                    .filter(s -> part(s, "centre").asText().equals(chosen))
                    .findFirst()
                    .orElseThrow();
            List<JsonNode> cases = parts(safety, "case");
            JsonNode last = cases.stream()
                    .max(Comparator.comparingInt(c -> part(c, "order").asInt()))
                    .orElseThrow();
            assertThat(Double.parseDouble(
                            browser.driver.findElement(By.id("vlad-end")).getAttribute("data-value")))
                    .isEqualTo(part(last, "vlad").asDouble());
            browser.screenshot("3-safety");

            browser.assertViewDraws("outcomes");
            assertThat(browser.table("support-end")).isNotEmpty();
            browser.screenshot("4-outcomes");

            browser.assertViewDraws("completeness");
            assertThat(browser.table("completeness")).containsKeys(centre, "Organization/" + cohort.centres.get(1));
            browser.driver
                    .findElement(By.cssSelector(
                            "table[data-table=completeness] tr[data-key='" + centre + "'] td[data-col=consent] button"))
                    .click();
            browser.waitFor(By.cssSelector("#worklist[data-count]"));
            browser.screenshot("5-completeness");

            browser.assertViewDraws("telemetry");
            new Select(browser.driver.findElement(By.id("t-device"))).selectByValue(cohort.pumps.get(0));
            browser.driver.executeScript(
                    "document.getElementById('t-start').value = arguments[0];"
                            + "document.getElementById('t-end').value = arguments[1];",
                    telemetryStart.toString().substring(0, 19),
                    telemetryStart.plusSeconds(SAMPLES).toString().substring(0, 19));
            browser.driver.findElement(By.id("t-show")).click();
            browser.waitFor(By.cssSelector("#view-telemetry[data-state=ready] table[data-table=telemetry]"));
            Map<String, Map<String, String>> telemetry = browser.table("telemetry");
            assertThat(telemetry).hasSize(SAMPLES);
            assertThat(telemetry
                            .get(String.valueOf(telemetryStart.getEpochSecond()))
                            .get("flow"))
                    .isEqualTo("3.00");
            browser.screenshot("6-telemetry");

            new Select(browser.driver.findElement(By.id("f-sex"))).selectByVisibleText("female");
            browser.driver.findElement(By.id("apply")).click();
            browser.waitFor(By.cssSelector("#headline[data-insertions]"));
            JsonNode women = get(registry, "/Measure/$audit?" + period() + "&sex=female");
            assertThat(browser.headlineInsertions())
                    .isEqualTo(String.valueOf(insertions(women)))
                    .isNotEqualTo("30");
            browser.assertViewDraws("survival");
            assertThat(browser.table("survival").get("all").get("s30")).isEqualTo(survivalCell(women, "survival-30d"));

            assertThat(browser.consoleErrors(server.root())).isEmpty();
        }
    }

    @Test
    void centresEhrSeesOnlyItsOwnCentre() {
        String own = cohort.centres.get(0);
        String other = cohort.centres.get(1);
        JsonNode audit = get(DashboardCohort.ehrToken(own), "/Measure/$audit?" + period());
        try (Browser browser = new Browser()) {
            signInWithPeriodInAddress(browser, "centre-1-cardiologist", claimsJson("ehr", own));
            assertThat(browser.driver.findElement(By.id("session")).getAttribute("data-centre"))
                    .isEqualTo("Organization/" + own);
            assertThat(browser.headlineInsertions())
                    .isEqualTo(String.valueOf(insertions(audit)))
                    .isEqualTo("15");
            browser.assertViewDraws("survival");
            assertThat(browser.table("survival").get("all").get("s30")).isEqualTo(survivalCell(audit, "survival-30d"));
            for (String view : VIEWS) {
                browser.showView(view);
                assertThat(browser.driver.getPageSource()).as(view).doesNotContain(other);
            }
            assertThat(browser.showView("completeness")).isEqualTo("ready");
            assertThat(browser.table("completeness")).containsOnlyKeys("Organization/" + own, "all");
            browser.screenshot("7-ehr-completeness");
        }
    }

    @Test
    void pageLoadsWithoutToken_whileFhirStillWantsOne() {
        Response root = RestAssured.given().redirects().follow(false).get(server.root() + "/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.header("Location")).endsWith("/dashboard/");
        Response page = RestAssured.get(server.root() + "/dashboard/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy"))
                .contains("script-src 'self'")
                .containsPattern("connect-src 'self' http://(localhost|127\\.0\\.0\\.1):\\d+;");
        assertThat(RestAssured.get(server.root() + "/webjars/uplot/dist/uPlot.esm.js")
                        .statusCode())
                .isEqualTo(200);
        Response config = RestAssured.get(server.root() + "/dashboard/config.json");
        assertThat(config.jsonPath().getBoolean("signIn")).isTrue();
        assertThat(config.jsonPath().getString("clientId")).isEqualTo("mcs-dashboard");
        assertThat(fhir(null).get("/Measure/$audit?" + period()).statusCode()).isEqualTo(401);
        assertThat(RestAssured.get(server.root() + "/dashboard/../actuator/metrics")
                        .statusCode())
                .isIn(400, 401, 403);
    }
}
