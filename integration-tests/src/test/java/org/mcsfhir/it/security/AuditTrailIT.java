package org.mcsfhir.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.security.SecureServer.claims;
import static org.mcsfhir.it.security.SecureServer.fhir;
import static org.mcsfhir.it.security.SecureServer.token;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every access leaves an AuditEvent (client, centre, patient, outcome), and only governance can search them. */
class AuditTrailIT {

    private static final String GOVERNANCE = token("it-governance", claims("governance", null, "system/AuditEvent.rs"));

    @Test
    void aReadIsAuditedWithClientCentreAndPatient() {
        TwoCentres data = TwoCentres.get();
        fhir(data.a.ehrToken()).get("/Patient/" + data.a.patient()).then().statusCode(200);

        Response events = awaitEvents(
                "/AuditEvent?patient=Patient/" + data.a.patient() + "&agent=Organization/" + data.a.organization());
        String body = events.asString();
        assertThat(body).contains("it-ehr-" + data.a.organization(), "\"outcome\":\"0\"");
    }

    @Test
    void aWriteIsAudited() {
        TwoCentres data = TwoCentres.get();
        String id = SecureServer.create(
                data.a.ehrToken(),
                "Observation",
                TwoCentres.clinicalObservation(data.a.patient(), "audit-" + System.nanoTime()));
        Response events = awaitEvents("/AuditEvent?entity=Observation/" + id);
        assertThat(events.asString()).contains("\"action\":\"C\"");
    }

    @Test
    void aTransactionLeavesOneEventPerPatientNamingEveryResourceItWrote() {
        TwoCentres data = TwoCentres.get();
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"resource":%s,"request":{"method":"POST","url":"Observation"}},
                 {"resource":%s,"request":{"method":"POST","url":"Observation"}}]}""".formatted(
                        TwoCentres.clinicalObservation(data.a.patient(), "audit-tx-" + System.nanoTime()),
                        TwoCentres.clinicalObservation(data.a.patient(), "audit-tx-" + System.nanoTime()));
        List<String> written = fhir(data.a.ehrToken())
                .body(bundle)
                .post("/")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .<String>getList("entry.response.location")
                .stream()
                .map(location -> location.replaceAll("/_history/.*", ""))
                .toList();

        Response events = awaitEvents("/AuditEvent?entity=" + written.get(0));
        assertThat(events.jsonPath().getList("entry"))
                .as("one event for the patient's part of the transaction")
                .hasSize(1);
        assertThat(events.asString())
                .contains(
                        written.get(1),
                        "Patient/" + data.a.patient(),
                        "\"action\":\"C\"",
                        "it-ehr-" + data.a.organization());
    }

    @Test
    void anAuditedPatientCanStillBeDeletedAndTheTrailKeepsPointingAtIt() {
        TwoCentres data = TwoCentres.get();
        String patient = SecureServer.create(data.a.ehrToken(), "Patient", """
                {"resourceType":"Patient","gender":"male","birthDate":"1958-02-01",
                 "managingOrganization":{"reference":"Organization/%s"}}""".formatted(data.a.organization()));
        fhir(data.a.ehrToken()).get("/Patient/" + patient).then().statusCode(200);
        awaitEvents("/AuditEvent?entity=Patient/" + patient);

        fhir(data.a.ehrToken()).delete("/Patient/" + patient).then().statusCode(200);

        // the deletion's own event is stored after the delete commits: its reference to the now deleted Patient
        // cannot be stored as a reference (referential integrity), so it names the Patient as an identifier
        awaitEvents(
                "/AuditEvent?action=D&agent=Organization/" + data.a.organization() + "&_count=200",
                body -> Pattern.compile("\"value\":\"Patient/" + patient + "[/\"]")
                        .matcher(body)
                        .find());
    }

    @Test
    void aRefusalIsAuditedWithAFailureOutcome() {
        TwoCentres data = TwoCentres.get();
        fhir(data.a.ehrToken()).get("/Patient/" + data.b.patient()).then().statusCode(403);
        // other ITs of this server leave many refusals of centre A: ask for enough of them
        Response events =
                awaitEvents("/AuditEvent?outcome=4&agent=Organization/" + data.a.organization() + "&_count=500");
        assertThat(events.asString()).contains("Patient/" + data.b.patient());
    }

    @Test
    void gatewayWritesAndRefusalsAreAudited() {
        TwoCentres data = TwoCentres.get();
        String sample = "{\"time\":\"" + Instant.now().minusSeconds(90).truncatedTo(ChronoUnit.SECONDS)
                + "\",\"pump-flow\":3.1}\n";
        gateway(data.a.gatewayToken(), data.a.device(), sample).then().statusCode(200);
        gateway(data.a.gatewayToken(), data.b.device(), sample).then().statusCode(403);

        assertThat(awaitEvents("/AuditEvent?entity=Device/" + data.a.device() + "&outcome=0")
                        .asString())
                .contains("it-gateway-" + data.a.organization(), "\"action\":\"C\"");
        awaitEvents(
                "/AuditEvent?outcome=4&agent=Organization/" + data.a.organization() + "&_count=200",
                body -> body.contains("Device/" + data.b.device()));
    }

    private static Response gateway(String token, String device, String body) {
        return fhir(token)
                .baseUri(SecureServer.get().root())
                .contentType("application/x-ndjson")
                .accept("application/json, application/fhir+json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/telemetry/v1/devices/" + device + "/samples");
    }

    @Test
    void onlyGovernanceMaySearchTheAuditTrail() {
        TwoCentres data = TwoCentres.get();
        fhir(data.a.ehrToken()).get("/AuditEvent").then().statusCode(403);
        fhir(token("it-registry", TwoCentres.registryClaims(true)))
                .get("/AuditEvent")
                .then()
                .statusCode(403);
        fhir(TwoCentres.ADMIN).get("/AuditEvent").then().statusCode(403);
        fhir(GOVERNANCE).get("/AuditEvent?_summary=count").then().statusCode(200);
    }

    @Test
    void nobodyMayWriteTheAuditTrail() {
        fhir(GOVERNANCE)
                .body("{\"resourceType\":\"AuditEvent\"}")
                .post("/AuditEvent")
                .then()
                .statusCode(403);
    }

    /** AuditEvents are stored asynchronously: wait (bounded) until the search finds at least one. */
    private static Response awaitEvents(String search) {
        return awaitEvents(search, body -> true);
    }

    private static Response awaitEvents(String search, Predicate<String> found) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        Response response;
        do {
            response = fhir(GOVERNANCE).get(search);
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            if (response.jsonPath().getList("entry") != null
                    && !response.jsonPath().getList("entry").isEmpty()
                    && found.test(response.asString())) {
                return response;
            }
            sleep();
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no AuditEvent found for " + search + " within 20 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
