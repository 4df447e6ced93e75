package org.mcsfhir.server.dashboard;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import io.restassured.RestAssured;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;

/**
 * The dashboard as the server serves it in open mode: the root redirects to the page, the page and its scripts come
 * with the strict Content-Security-Policy, and the page's settings say no sign-in is needed.
 */
class DashboardContextTest extends ContextTest {

    @Test
    void rootRedirectsToThePage() {
        RestAssured.given()
                .config(RestAssuredConfig.config()
                        .redirect(RedirectConfig.redirectConfig().followRedirects(false)))
                .baseUri(root())
                .get("/")
                .then()
                .statusCode(oneOf(301, 302, 303, 307, 308))
                .header("Location", endsWith(DashboardPaths.HOME));
    }

    @Test
    void pageAndScripts_carryTheContentSecurityPolicy() {
        http().get(DashboardPaths.HOME)
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header(ContentSecurityPolicyFilter.HEADER, containsString("script-src 'self'"))
                .header(ContentSecurityPolicyFilter.HEADER, containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff");
        http().get(DashboardPaths.HOME + "dashboard.css")
                .then()
                .statusCode(200)
                .header(ContentSecurityPolicyFilter.HEADER, containsString("default-src 'none'"));
    }

    @Test
    void config_saysOpenMode_andIsNotCached() {
        http().get(DashboardPaths.CONFIG)
                .then()
                .statusCode(200)
                .body("signIn", equalTo(false))
                .body("fhirBase", equalTo("/fhir"))
                .body("scope", containsString("user/MeasureReport.rs"))
                .header("Cache-Control", containsString("no-store"));
    }
}
