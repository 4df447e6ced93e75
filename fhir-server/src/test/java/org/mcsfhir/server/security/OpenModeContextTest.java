package org.mcsfhir.server.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;

/**
 * Security as the context's server is configured: open mode (no issuer) on loopback serves requests without a token,
 * and the browser-origin rules still hold: a preflight from the configured origin gets what a browser needs, any
 * other origin is refused with an OperationOutcome, on the FHIR base and on the telemetry gateway alike.
 */
class OpenModeContextTest extends ContextTest {

    @Test
    void openModeOnLoopback_servesWithoutAToken() {
        fhir().body("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"open\"}}")
                .post("/Basic")
                .then()
                .statusCode(201);
        fhir().get("/Basic?_summary=count").then().statusCode(200).body("resourceType", equalTo("Bundle"));
    }

    @Test
    void aPreflightFromTheAllowedOrigin_isAnsweredWithWhatTheBrowserNeeds() {
        preflight(fhir(), ALLOWED_ORIGIN, "/Patient/x")
                .statusCode(200)
                .header("Access-Control-Allow-Origin", ALLOWED_ORIGIN)
                .header("Access-Control-Allow-Credentials", nullValue())
                .header("Access-Control-Allow-Methods", containsString("PATCH"))
                .header("Access-Control-Allow-Headers", equalToIgnoringCase("authorization, content-type, if-match"))
                .header("Access-Control-Max-Age", "3600");
        preflight(http(), ALLOWED_ORIGIN, "/telemetry/v1/devices/d/samples")
                .statusCode(200)
                .header("Access-Control-Allow-Origin", ALLOWED_ORIGIN);
    }

    @Test
    void anOriginNotAllowed_isRefusedWithAnOperationOutcome() {
        preflight(fhir(), "https://evil.example", "/Patient")
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", startsWith("MCS-0407"));
        fhir().header("Origin", "https://evil.example")
                .get("/Patient")
                .then()
                .statusCode(403)
                .body("issue[0].diagnostics", startsWith("MCS-0407"));
    }

    private static ValidatableResponse preflight(RequestSpecification request, String origin, String path) {
        return request.header("Origin", origin)
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,content-type,if-match")
                .options(path)
                .then();
    }
}
