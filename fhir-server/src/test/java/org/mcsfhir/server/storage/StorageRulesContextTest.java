package org.mcsfhir.server.storage;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;

/**
 * The storage rules as a client meets them over HTTP: ids and references the server would misread, deletes of what is
 * still referenced, PATCH bodies without operations and stale If-Match versions are refused with an OperationOutcome
 * naming the rule, and nothing is stored.
 */
class StorageRulesContextTest extends ContextTest {

    @Test
    void anAllDigitClientId_isRefusedWithTheRule() {
        String id = String.valueOf(System.nanoTime());
        refused(
                        fhir().body("{\"resourceType\":\"Basic\",\"id\":\"" + id + "\",\"code\":{\"text\":\"x\"}}")
                                .put("/Basic/" + id)
                                .then(),
                        400,
                        "MCS-0427")
                .body("issue[0].diagnostics", not(containsString("HAPI")));
        fhir().get("/Basic/" + id).then().statusCode(404);
    }

    @Test
    void aReferenceToAnotherServer_isRefusedWithTheRule() {
        refused(
                fhir().body("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"},"
                                + "\"subject\":{\"reference\":\"http://other.example/fhir/Patient/1\"}}")
                        .post("/Basic")
                        .then(),
                400,
                "MCS-0428");
    }

    @Test
    void aPatientStillReferenced_cannotBeDeleted() {
        String patient = fhir().body("{\"resourceType\":\"Patient\",\"gender\":\"male\"}")
                .post("/Patient")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        fhir().body("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/"
                        + patient + "\"}}")
                .post("/Basic")
                .then()
                .statusCode(201);

        refused(fhir().delete("/Patient/" + patient).then(), 409, "MCS-0409");
        fhir().get("/Patient/" + patient).then().statusCode(200);
    }

    @Test
    void anEmptyPatch_isRefusedNamingWhatIsMissing() {
        String id = fhir().body("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"}}")
                .post("/Basic")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        refused(
                fhir().contentType("application/json-patch+json")
                        .body("")
                        .patch("/Basic/" + id)
                        .then(),
                400,
                "MCS-0424");
        refused(
                fhir().contentType("application/json-patch+json")
                        .body("{\"op\":\"remove\"}")
                        .patch("/Basic/" + id)
                        .then(),
                400,
                "MCS-0425");
    }

    @Test
    void aDeleteNamingAnOldVersion_is412() {
        String id = fhir().body("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"v1\"}}")
                .post("/Basic")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        fhir().body("{\"resourceType\":\"Basic\",\"id\":\"" + id + "\",\"code\":{\"text\":\"v2\"}}")
                .put("/Basic/" + id)
                .then()
                .statusCode(200);

        refused(fhir().header("If-Match", "W/\"1\"").delete("/Basic/" + id).then(), 412, "MCS-0421");
        fhir().get("/Basic/" + id).then().statusCode(200).body("code.text", equalTo("v2"));
    }

    private static ValidatableResponse refused(ValidatableResponse response, int status, String code) {
        return response.statusCode(status)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", startsWith(code));
    }
}
