package org.mcsfhir.it.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.Fixtures.TEST_SYSTEM;
import static org.mcsfhir.testsupport.Fixtures.patient;
import static org.mcsfhir.testsupport.Fixtures.uniqueValue;

import org.junit.jupiter.api.Test;

class TransactionIT {

    @Test
    void transactionWithOneInvalidEntry_storesNothing() {
        String marker = uniqueValue();
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:%1$s","resource":%2$s,"request":{"method":"POST","url":"Patient"}},
                  {"resource":{"resourceType":"Observation","status":"final",
                     "code":{"coding":[{"system":"%3$s","code":"%1$s"}]},
                     "subject":{"reference":"urn:uuid:%1$s"}},
                   "request":{"method":"POST","url":"Observation"}},
                  {"resource":{"resourceType":"Observation","status":"final",
                     "code":{"coding":[{"system":"%3$s","code":"%1$s"}]},
                     "subject":{"reference":"Patient/no-such-patient-%1$s"}},
                   "request":{"method":"POST","url":"Observation"}}
                ]}""".formatted(marker, patient(marker, "Atomic"), TEST_SYSTEM);

        fhir().body(bundle)
                .post("/")
                .then()
                .statusCode(org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThanOrEqualTo(400))
                        .and(org.hamcrest.Matchers.lessThan(500)))
                .body("resourceType", equalTo("OperationOutcome"));

        fhir().queryParam("identifier", TEST_SYSTEM + "|" + marker)
                .queryParam("_summary", "count")
                .get("/Patient")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        fhir().queryParam("code", TEST_SYSTEM + "|" + marker)
                .queryParam("_summary", "count")
                .get("/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void validTransaction_resolvesPlaceholderReferences() {
        String marker = uniqueValue();
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:%1$s","resource":%2$s,"request":{"method":"POST","url":"Patient"}},
                  {"resource":{"resourceType":"Observation","status":"final",
                     "code":{"coding":[{"system":"%3$s","code":"%1$s"}]},
                     "subject":{"reference":"urn:uuid:%1$s"}},
                   "request":{"method":"POST","url":"Observation"}}
                ]}""".formatted(marker, patient(marker, "Together"), TEST_SYSTEM);

        fhir().body(bundle)
                .post("/")
                .then()
                .statusCode(200)
                .body("type", equalTo("transaction-response"))
                .body("entry[0].response.status", startsWith("201"))
                .body("entry[1].response.status", startsWith("201"));

        String patientId = fhir().queryParam("identifier", TEST_SYSTEM + "|" + marker)
                .get("/Patient")
                .path("entry[0].resource.id");
        fhir().queryParam("code", TEST_SYSTEM + "|" + marker)
                .get("/Observation")
                .then()
                .body("entry[0].resource.subject.reference", equalTo("Patient/" + patientId));
    }

    @Test
    void batch_processesEntriesIndependently() {
        String marker = uniqueValue();
        String bundle = """
                {"resourceType":"Bundle","type":"batch","entry":[
                  {"resource":%s,"request":{"method":"POST","url":"Patient"}},
                  {"request":{"method":"GET","url":"Patient/no-such-patient-%s"}}
                ]}""".formatted(patient(marker, "Batch"), marker);

        fhir().body(bundle)
                .post("/")
                .then()
                .statusCode(200)
                .body("type", equalTo("batch-response"))
                .body("entry[0].response.status", startsWith("201"))
                .body("entry[1].response.status", startsWith("404"));
    }
}
