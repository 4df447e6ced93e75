package org.mcsfhir.it.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.mcsfhir.it.support.TestServer.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.BundleKeys;
import org.mcsfhir.testsupport.GuideSources;

/**
 * {@code $registry-case} over HTTP against the running jar, on the guide's two example cases. What a case contains,
 * what pseudonymising removes and an unknown insertion's 404 are tested in fhir-server's
 * {@code registry/RegistryCaseContextTest}.
 */
class RegistryCaseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CASE_1 = "/Procedure/mcs-example-insertion-1/$registry-case";
    private static final String REGISTRY_CASE = "https://mcs-fhir.org/fhir/StructureDefinition/mcs-registry-case";

    @BeforeAll
    static void storeTheGuideExamples() {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
    }

    @Test
    void exampleCase1_telemetrySummariesAreComputedFromTheStoredWindows() {
        JsonPath bundle = fhir().get(CASE_1).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> summaries = bundle.getList(
                "entry.resource.findAll { it.identifier?.system?.contains('https://mcs-fhir.org/fhir/sid/telemetry-summary') }");
        assertThat(summaries).hasSize(2);
        Map<String, Object> flow = summaries.stream()
                .filter(s -> JsonPath.from(toJson(s))
                        .getString("code.coding[0].code")
                        .equals("pump-flow"))
                .findFirst()
                .orElseThrow();
        JsonPath f = JsonPath.from(toJson(flow));
        // the guide's example window: 60 one-second samples, 3.01 .. 3.59 L/min, none below 1.0 L/min
        assertThat(component(f, "minimum")).isCloseTo(3.01, within(1e-6));
        assertThat(component(f, "maximum")).isCloseTo(3.59, within(1e-6));
        assertThat(component(f, "mean")).isBetween(3.01, 3.59);
        assertThat(component(f, "duration-covered")).isEqualTo(60.0);
        assertThat(f.getInt("component.find { it.code.coding[0].code == 'sample-count' }.valueInteger"))
                .isEqualTo(60);
        assertThat(component(f, "low-flow-threshold")).isEqualTo(1.0);
        assertThat(component(f, "time-below-low-flow-threshold")).isEqualTo(0.0);
        assertThat(f.getString("identifier[0].value")).isEqualTo("mcs-example-pump-1/pump-flow/1773154800");
        assertThat(f.getString("partOf[0].reference")).isEqualTo("Procedure/mcs-example-insertion-1");
    }

    @Test
    void exampleCase1_validatesAgainstMcsRegistryCaseWithNoErrors() {
        String bundle = fhir().get(CASE_1).then().statusCode(200).extract().asString();
        assertThat(errorsOf(bundle)).isEmpty();
    }

    @Test
    void exampleCase2_deathOnSupport_validatesWithNoErrors() {
        String bundle = fhir().get("/Procedure/mcs-example-insertion-2/$registry-case")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(BundleKeys.of(JsonPath.from(bundle)))
                .contains(
                        "Patient/mcs-example-patient-2",
                        "Condition/mcs-example-stroke-2",
                        "Observation/mcs-example-support-outcome-2");
        assertThat(errorsOf(bundle)).isEmpty();
    }

    @Test
    void includeTelemetry_addsTheRawWindows() {
        JsonPath bundle = fhir().queryParam("_includeTelemetry", "true")
                .get(CASE_1)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(BundleKeys.of(bundle))
                .contains(
                        "Observation/mcs-example-telemetry-1-pump-flow-1",
                        "Observation/mcs-example-telemetry-1-performance-level-1");
        assertThat(errorsOf(bundle.prettify())).isEmpty();
    }

    @Nested
    class Pseudonymised {

        @Test
        void pseudonymIsTheSameOnEveryPull() {
            String first = patientPseudonym();
            String second = patientPseudonym();
            assertThat(first).matches("[0-9a-f]{64}").isEqualTo(second);
        }

        @Test
        void pseudonymisedCaseStillValidates() {
            String bundle = fhir().queryParam("pseudonymise", "true")
                    .get(CASE_1)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertThat(errorsOf(bundle)).isEmpty();
        }

        private String patientPseudonym() {
            return fhir().queryParam("pseudonymise", "true")
                    .get(CASE_1)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("entry.resource.find { it.resourceType == 'Patient' }.identifier[0].value");
        }
    }

    @Nested
    class Errors {

        @Test
        void removalIsNotAnInsertion_is422WithOperationOutcome() {
            fhir().get("/Procedure/mcs-example-removal-1/$registry-case")
                    .then()
                    .statusCode(422)
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].diagnostics", startsWith("MCS-0802"))
                    .body("issue[0].expression[0]", equalTo("Procedure.code"));
        }
    }

    /** The error diagnostics of validating against mcs-registry-case with $validate (the validator of every write). */
    static List<String> errorsOf(String bundleJson) {
        return fhir().queryParam("profile", REGISTRY_CASE)
                .body(bundleJson)
                .post("/Bundle/$validate")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("issue.findAll { it.severity == 'error' || it.severity == 'fatal' }.diagnostics");
    }

    @Test
    void validationCheckItself_refusesACaseWithoutItsPatient() throws JsonProcessingException {
        String bundle = fhir().get(CASE_1).then().statusCode(200).extract().asString();
        ObjectNode withoutPatient = (ObjectNode) JSON.readTree(bundle);
        ArrayNode entries = (ArrayNode) withoutPatient.get("entry");
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).path("resource").path("resourceType").asText().equals("Patient")) {
                entries.remove(i);
            }
        }
        assertThat(errorsOf(JSON.writeValueAsString(withoutPatient)))
                .anySatisfy(error -> assertThat(error).contains("Bundle.entry:patient"));
    }

    private static double component(JsonPath summary, String code) {
        Number value = summary.get("component.find { it.code.coding[0].code == '" + code + "' }.valueQuantity.value");
        return value.doubleValue();
    }

    private static String toJson(Object map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
