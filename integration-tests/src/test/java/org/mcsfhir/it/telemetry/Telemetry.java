package org.mcsfhir.it.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Supplier;

/** Patients, pumps and insertion Procedures to send telemetry for, and small helpers for the gateway interface. */
final class Telemetry {

    static final String CHANNEL_SYSTEM = "https://mcs-fhir.org/fhir/CodeSystem/mcs-telemetry-channel-cs";
    static final String CATEGORY = "https://mcs-fhir.org/fhir/CodeSystem/mcs-observation-category-cs|device-telemetry";
    static final String WINDOW_SYSTEM = "https://mcs-fhir.org/fhir/sid/telemetry-window";

    private Telemetry() {}

    /** A recent, whole-hour instant, comfortably in the past (sample times may not be in the future). */
    static Instant recentHour() {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** What one pump needs: a patient, the Device linked to it, optionally its insertion Procedure. */
    record Pump(String fhirBase, String deviceId, String patientId, String insertionId) {

        static Pump create(String fhirBase, boolean withInsertion) {
            String patientId = unique("tel-pat");
            String deviceId = unique("tel-pump");
            put(fhirBase, "Patient/" + patientId, """
                    {"resourceType":"Patient","id":"%s","gender":"female","birthDate":"1961-04-02"}""".formatted(patientId));
            put(fhirBase, "Device/" + deviceId, """
                    {"resourceType":"Device","id":"%s","status":"active","serialNumber":"%s",
                     "patient":{"reference":"Patient/%s"}}""".formatted(deviceId, deviceId, patientId));
            String insertionId = null;
            if (withInsertion) {
                String organizationId = unique("tel-org");
                String practitionerId = unique("tel-op");
                insertionId = unique("tel-ins");
                put(fhirBase, "Organization/" + organizationId, """
                        {"resourceType":"Organization","id":"%s","name":"Telemetry test centre"}""".formatted(organizationId));
                put(fhirBase, "Practitioner/" + practitionerId, """
                        {"resourceType":"Practitioner","id":"%s","name":[{"family":"Operator"}]}""".formatted(practitionerId));
                put(
                        fhirBase,
                        "Procedure/" + insertionId,
                        insertion(insertionId, patientId, deviceId, practitionerId, organizationId));
            }
            return new Pump(fhirBase, deviceId, patientId, insertionId);
        }

        static Pump withoutPatient(String fhirBase) {
            String deviceId = unique("tel-lonely");
            put(fhirBase, "Device/" + deviceId, """
                    {"resourceType":"Device","id":"%s","status":"active"}""".formatted(deviceId));
            return new Pump(fhirBase, deviceId, null, null);
        }

        String samplesUrl() {
            return fhirBase.replaceFirst("/fhir$", "") + "/telemetry/v1/devices/" + deviceId + "/samples";
        }

        Response post(String ndjson) {
            return RestAssured.given()
                    .contentType("application/x-ndjson")
                    .body(ndjson.getBytes(StandardCharsets.UTF_8))
                    .post(samplesUrl());
        }

        /** The raw series of one channel over [start, start + seconds), as the list of SampledData tokens. */
        String[] series(String channel, Instant start, int seconds) {
            JsonPath body = RestAssured.given()
                    .accept("application/fhir+json")
                    .queryParam("channel", channel)
                    .queryParam("start", start.toString())
                    .queryParam("end", start.plusSeconds(seconds).toString())
                    .get(fhirBase + "/Device/" + deviceId + "/$telemetry-series")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            return body.getString("valueSampledData.data").split(" ");
        }
    }

    /**
     * A pump of an MLLP sender's centre (a sender may write only for its centre's pumps): the centre (stored again if
     * there), a new patient of it and the new pump; returns the pump's id, which is also its serial number.
     */
    static String ownedPump(
            String fhirBase, String prefix, String centre, String centreName, String gender, String birthDate) {
        fhir(fhirBase)
                .body("""
                {"resourceType":"Organization","id":"%s","name":"%s"}""".formatted(centre, centreName))
                .put("/Organization/" + centre)
                .then()
                .statusCode(anyOf(equalTo(200), equalTo(201)));
        return pumpOf(fhirBase, prefix, centre, gender, birthDate);
    }

    /** A new patient managed by the stored centre and a new pump of it; returns the pump's id (= serial number). */
    static String pumpOf(String fhirBase, String prefix, String centre, String gender, String birthDate) {
        String patient = unique(prefix + "-pat");
        String device = unique(prefix + "-pump");
        fhir(fhirBase)
                .body("""
                {"resourceType":"Patient","id":"%s","gender":"%s","birthDate":"%s",
                 "managingOrganization":{"reference":"Organization/%s"}}""".formatted(patient, gender, birthDate, centre))
                .put("/Patient/" + patient)
                .then()
                .statusCode(201);
        fhir(fhirBase)
                .body("""
                {"resourceType":"Device","id":"%s","status":"active","serialNumber":"%s",
                 "patient":{"reference":"Patient/%s"},"owner":{"reference":"Organization/%s"}}""".formatted(device, device, patient, centre))
                .put("/Device/" + device)
                .then()
                .statusCode(201);
        return device;
    }

    private static void put(String fhirBase, String path, String body) {
        RestAssured.given()
                .contentType("application/fhir+json")
                .body(body)
                .put(fhirBase + "/" + path)
                .then()
                .statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    private static String insertion(
            String id, String patientId, String deviceId, String practitionerId, String organizationId) {
        return """
                {"resourceType":"Procedure","id":"%s","status":"completed",
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"232967006",
                   "display":"Implantation of left cardiac ventricular assist device"}]},
                 "subject":{"reference":"Patient/%s"},
                 "performedPeriod":{"start":"2026-01-10T14:20:00Z"},
                 "performer":[{"actor":{"reference":"Practitioner/%s"},"onBehalfOf":{"reference":"Organization/%s"}}],
                 "reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"89138009","display":"Cardiogenic shock"}]}],
                 "bodySite":[{"extension":[{"url":"https://mcs-fhir.org/fhir/StructureDefinition/mcs-laterality",
                     "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"24028007","display":"Right"}]}}],
                   "coding":[{"system":"http://snomed.info/sct","code":"7657000","display":"Structure of femoral artery"}]}],
                 "focalDevice":[{"action":{"coding":[{"system":"http://snomed.info/sct","code":"129336009",
                     "display":"Implantation - action"}]},"manipulated":{"reference":"Device/%s"}}]}""".formatted(id, patientId, practitionerId, organizationId, deviceId);
    }

    /** One NDJSON line. */
    static String line(Instant time, String channelValues) {
        return "{\"time\":\"" + time + "\"," + channelValues + "}\n";
    }

    /** Polls until the supplier is true (the materializer works in the background), for at most {@code limit}. */
    static void eventually(Duration limit, Supplier<Boolean> condition, String what) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(condition.get()).as(what + " within " + limit).isTrue();
    }

    static RequestSpecification fhir(String fhirBase) {
        return RestAssured.given()
                .baseUri(fhirBase)
                .accept("application/fhir+json")
                .contentType("application/fhir+json");
    }
}
