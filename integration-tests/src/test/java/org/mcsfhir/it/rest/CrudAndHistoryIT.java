package org.mcsfhir.it.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.Fixtures.patient;
import static org.mcsfhir.testsupport.Fixtures.uniqueValue;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

class CrudAndHistoryIT {

    @Test
    void createReadUpdateDelete_keepsEveryVersionInHistory() {
        Response created = fhir().body(patient(uniqueValue(), "Original")).post("/Patient");
        created.then().statusCode(201).header("ETag", "W/\"1\"");
        String id = created.path("id");
        assertThat(created.header("Location")).contains("/Patient/" + id + "/_history/1");

        fhir().get("/Patient/" + id)
                .then()
                .statusCode(200)
                .header("ETag", "W/\"1\"")
                .body("name[0].family", equalTo("Original"));

        String updated = patient(uniqueValue(), "Updated")
                .replace("{\"resourceType\":\"Patient\",", "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",");
        fhir().header("If-Match", "W/\"1\"")
                .body(updated)
                .put("/Patient/" + id)
                .then()
                .statusCode(200)
                .header("ETag", "W/\"2\"");

        fhir().get("/Patient/" + id + "/_history/1").then().statusCode(200).body("name[0].family", equalTo("Original"));
        fhir().get("/Patient/" + id + "/_history")
                .then()
                .statusCode(200)
                .body("type", equalTo("history"))
                .body("total", equalTo(2));

        fhir().delete("/Patient/" + id).then().statusCode(200);
        fhir().get("/Patient/" + id).then().statusCode(410).body("resourceType", equalTo("OperationOutcome"));
        // the deletion is the newest version; earlier versions stay readable
        fhir().get("/Patient/" + id + "/_history")
                .then()
                .statusCode(200)
                .body("entry[0].request.method", equalTo("DELETE"))
                .body("entry[0].request.url", equalTo("Patient/" + id + "/_history/3"));
        fhir().get("/Patient/" + id + "/_history/1").then().statusCode(200).body("name[0].family", equalTo("Original"));
    }

    @Test
    void historyReadBetweenUpdates_listsEveryVersionAtOnce() {
        // HAPI 8.8.0 caches a history count for a minute (hapifhir/hapi-fhir#7897): read at version 2, the history
        // of a resource then at version 4 listed 2 versions.
        String id = fhir().body(patient(uniqueValue(), "V1"))
                .post("/Patient")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        for (int version = 2; version <= 4; version++) {
            String body = patient(uniqueValue(), "V" + version)
                    .replace("{\"resourceType\":\"Patient\",", "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",");
            fhir().body(body).put("/Patient/" + id).then().statusCode(200);
            fhir().get("/Patient/" + id + "/_history")
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(version))
                    .body("entry.size()", equalTo(version))
                    .body("entry[0].resource.name[0].family", equalTo("V" + version));
        }
    }

    @Test
    void updateWithStaleIfMatch_isRejectedAsAVersionConflictAndChangesNothing() {
        String id =
                fhir().body(patient(uniqueValue(), "Before")).post("/Patient").path("id");
        String body = patient(uniqueValue(), "After")
                .replace("{\"resourceType\":\"Patient\",", "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",");

        fhir().header("If-Match", "W/\"7\"")
                .body(body)
                .put("/Patient/" + id)
                .then()
                .statusCode(409) // HAPI answers a stale If-Match with 409 Conflict
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"));

        fhir().get("/Patient/" + id)
                .then()
                .body("meta.versionId", equalTo("1"))
                .body("name[0].family", equalTo("Before"));
    }

    @Test
    void patchAndDeleteWithStaleIfMatch_areRefusedAndChangeNothing_matchingOnesGoAhead() {
        String id =
                fhir().body(patient(uniqueValue(), "Locked")).post("/Patient").path("id");
        String patch = "[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"male\"}]";

        fhir().header("If-Match", "W/\"7\"")
                .contentType("application/json-patch+json")
                .body(patch)
                .patch("/Patient/" + id)
                .then()
                .statusCode(409); // HAPI's answer to a stale version on PUT and PATCH
        fhir().header("If-Match", "W/\"7\"")
                .delete("/Patient/" + id)
                .then()
                .statusCode(412)
                .body("issue[0].diagnostics", containsString("MCS-0421"));
        fhir().get("/Patient/" + id)
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo("1"))
                .body("gender", equalTo("female"));

        fhir().header("If-Match", "W/\"1\"")
                .contentType("application/json-patch+json")
                .body(patch)
                .patch("/Patient/" + id)
                .then()
                .statusCode(200)
                .header("Content-Location", containsString("/_history/2"));
        fhir().header("If-Match", "\"2\"").delete("/Patient/" + id).then().statusCode(200);
        fhir().get("/Patient/" + id).then().statusCode(410);
    }

    @Test
    void malformedOrEmptyIfMatch_isABadRequestAndChangesNothing() {
        String id =
                fhir().body(patient(uniqueValue(), "Before")).post("/Patient").path("id");
        String body = patient(uniqueValue(), "After")
                .replace("{\"resourceType\":\"Patient\",", "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",");
        for (String ifMatch : new String[] {"garbage", "", "W/\"\"", "W/\"1", "W/\"-1\""}) {
            fhir().header("If-Match", ifMatch)
                    .body(body)
                    .put("/Patient/" + id)
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", containsString("MCS-0420"));
            fhir().header("If-Match", ifMatch)
                    .delete("/Patient/" + id)
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", containsString("MCS-0420"));
        }
        fhir().get("/Patient/" + id)
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo("1"))
                .body("name[0].family", equalTo("Before"));
    }

    @Test
    void readOfUnknownId_is404WithOperationOutcome() {
        fhir().get("/Patient/does-not-exist").then().statusCode(404).body("resourceType", equalTo("OperationOutcome"));
    }

    /** HAPI's own check missed this on PostgreSQL (the Patient was deleted); storage.StillReferencedGuard covers it. */
    @Test
    void aPatientStillReferencedCannotBeDeleted() {
        String patient = fhir().body(patient(uniqueValue(), "Referenced"))
                .post("/Patient")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        fhir().body("""
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"2524-7"}]},
                 "subject":{"reference":"Patient/%s"},
                 "valueQuantity":{"value":2.1,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}}""".formatted(patient)).post("/Observation").then().statusCode(201);

        fhir().delete("/Patient/" + patient)
                .then()
                .statusCode(409)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("Observation/"));
        fhir().get("/Patient/" + patient).then().statusCode(200);
    }
}
