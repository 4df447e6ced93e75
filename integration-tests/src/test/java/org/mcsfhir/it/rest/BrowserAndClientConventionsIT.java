package org.mcsfhir.it.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mcsfhir.it.support.TestServer.ALLOWED_ORIGIN;
import static org.mcsfhir.it.support.TestServer.fhir;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.security.SecureServer;

/** What browser apps and EHR integrators run into first: CORS, PATCH bodies, client-assigned ids, references. */
class BrowserAndClientConventionsIT {

    /**
     * CORS as an issuer changes it. The open-mode rules (a preflight from the allowed origin, on the FHIR base and the
     * telemetry gateway; any other origin refused) are tested in fhir-server's {@code security/OpenModeContextTest}.
     */
    @Nested
    class Cors {

        @Test
        void theRealRequest_exposesTheHeadersAFhirClientReads() {
            fhir().header("Origin", ALLOWED_ORIGIN)
                    .get("/metadata")
                    .then()
                    .statusCode(200)
                    .header("Access-Control-Allow-Origin", ALLOWED_ORIGIN)
                    .header("Access-Control-Expose-Headers", containsString("Location"))
                    .header("Access-Control-Expose-Headers", containsString("ETag"))
                    .header("Access-Control-Expose-Headers", containsString("X-Progress"))
                    .header("Access-Control-Expose-Headers", containsString("WWW-Authenticate"));
        }

        @Test
        void withAnIssuer_thePreflightNeedsNoToken_butTheRealRequestStillDoes() {
            preflight(SecureServer.fhir(null), ALLOWED_ORIGIN, "/Observation")
                    .statusCode(200)
                    .header("Access-Control-Allow-Origin", ALLOWED_ORIGIN);
            SecureServer.fhir(null)
                    .header("Origin", ALLOWED_ORIGIN)
                    .get("/Observation")
                    .then()
                    .statusCode(401)
                    .header("Access-Control-Allow-Origin", ALLOWED_ORIGIN) // so the app can read why
                    .body("issue[0].diagnostics", startsWith("MCS-0401"));
            String token =
                    SecureServer.token("it-cors", SecureServer.claims("registry", null, "system/Observation.read"));
            SecureServer.fhir(token)
                    .header("Origin", ALLOWED_ORIGIN)
                    .get("/Observation?_summary=count")
                    .then()
                    .statusCode(200)
                    .header("Access-Control-Allow-Origin", ALLOWED_ORIGIN);
        }

        private ValidatableResponse preflight(RequestSpecification spec, String origin, String path) {
            return spec.header("Origin", origin)
                    .header("Access-Control-Request-Method", "PATCH")
                    .header("Access-Control-Request-Headers", "authorization,content-type,if-match")
                    .options(path)
                    .then();
        }
    }

    @Nested
    class PatchBodies {

        @Test
        void emptyOrShapelessBodies_areRefusedNamingWhatIsWrong() {
            String id = patient();
            patch(id, "application/json-patch+json", "")
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0424"));
            patch(id, "application/json-patch+json", "{}")
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0425"));
            patch(id, "application/fhir+json", "{\"resourceType\":\"Parameters\"}")
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0426"));
            fhir().get("/Patient/" + id).then().statusCode(200).header("ETag", "W/\"1\"");
        }

        @Test
        void anEmptyJsonPatchArray_changesNothing() {
            String id = patient();
            patch(id, "application/json-patch+json", "[]").statusCode(200).body("meta.versionId", equalTo("1"));
            fhir().get("/Patient/" + id + "/_history").then().statusCode(200).body("total", equalTo(1));
        }

        private String patient() {
            String id = "it-patch-" + System.nanoTime();
            fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"active\":true}")
                    .put("/Patient/" + id)
                    .then()
                    .statusCode(201);
            return id;
        }

        private ValidatableResponse patch(String id, String contentType, String body) {
            return fhir().contentType(contentType)
                    .body(body)
                    .patch("/Patient/" + id)
                    .then();
        }
    }

    @Nested
    class IdsAndReferences {

        @Test
        void anAllDigitClientId_isRefusedWithTheRule() {
            String id = String.valueOf(System.nanoTime());
            fhir().body("{\"resourceType\":\"Basic\",\"id\":\"" + id + "\",\"code\":{\"text\":\"x\"}}")
                    .put("/Basic/" + id)
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0427"))
                    .body("issue[0].diagnostics", not(containsString("HAPI")));
            fhir().get("/Basic/" + id).then().statusCode(404);
        }

        @Test
        void aReferenceToAnotherServer_isRefusedWithTheRule() {
            fhir().body("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"},"
                            + "\"subject\":{\"reference\":\"http://other.example/fhir/Patient/1\"}}")
                    .post("/Basic")
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0428"))
                    .body("issue[0].diagnostics", not(containsString("configured")));
        }
    }
}
