package org.mcsfhir.it.rest;

import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.Fixtures.TEST_SYSTEM;
import static org.mcsfhir.testsupport.Fixtures.patient;
import static org.mcsfhir.testsupport.Fixtures.uniqueValue;

import org.junit.jupiter.api.Test;

/** Transactions are atomic and resolve placeholders, batches are not, on each database. */
class TransactionIT {

    @Test
    void transactionWithOneInvalidEntry_storesNothing() {
        String marker = uniqueValue();
        String bundle = transaction(
                patientEntry(marker, "Atomic"),
                observationEntry(marker, "urn:uuid:" + marker),
                observationEntry(marker, "Patient/no-such-patient-" + marker));

        fhir().body(bundle)
                .post("/")
                .then()
                .statusCode(both(greaterThanOrEqualTo(400)).and(lessThan(500)))
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
        String bundle = transaction(patientEntry(marker, "Together"), observationEntry(marker, "urn:uuid:" + marker));

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

    private static String transaction(String... entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    /** A test Patient found by {@code marker}, created under the placeholder {@code urn:uuid:<marker>}. */
    private static String patientEntry(String marker, String family) {
        return """
                {"fullUrl":"urn:uuid:%s","resource":%s,"request":{"method":"POST","url":"Patient"}}""".formatted(marker, patient(marker, family));
    }

    /** An Observation coded with {@code marker}, about {@code subject}. */
    private static String observationEntry(String marker, String subject) {
        return """
                {"resource":{"resourceType":"Observation","status":"final",
                   "code":{"coding":[{"system":"%s","code":"%s"}]},"subject":{"reference":"%s"}},
                 "request":{"method":"POST","url":"Observation"}}""".formatted(TEST_SYSTEM, marker, subject);
    }
}
