package org.mcsfhir.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;
import org.mcsfhir.server.tier.GuideExamples;

/**
 * {@code Procedure/$registry-case} assembled from the stored guide examples: a collection Bundle of everything about
 * the insertion and nothing of the other case; pseudonymised, it names no patient, id or birth date.
 */
class RegistryCaseContextTest extends ContextTest {

    private static final String CASE_1 = "/Procedure/mcs-example-insertion-1/" + RegistryCaseProvider.OPERATION;

    @Test
    void exampleCase1_containsEverythingAboutTheInsertionAndNothingElse() {
        GuideExamples.storeOn(fhirBase());

        JsonPath bundle = fhir().get(CASE_1).then().statusCode(200).extract().jsonPath();

        assertThat(bundle.getString("resourceType")).isEqualTo("Bundle");
        assertThat(bundle.getString("type")).isEqualTo("collection");
        assertThat(bundle.getString("identifier.system")).isEqualTo("https://mcs-fhir.org/fhir/sid/registry-case");
        assertThat(bundle.getString("identifier.value")).isEqualTo("mcs-example-insertion-1");
        List<String> entries = bundle.getList("entry.resource.collect { it.resourceType + '/' + it.id }");
        assertThat(entries)
                .contains(
                        "Patient/mcs-example-patient-1",
                        "Organization/mcs-example-centre-1",
                        "Practitioner/mcs-example-operator-1",
                        "Device/mcs-example-pump-1",
                        "Procedure/mcs-example-insertion-1",
                        "Procedure/mcs-example-removal-1",
                        "Consent/mcs-example-consent-1a",
                        "Consent/mcs-example-consent-1b",
                        "Observation/mcs-example-scai-1",
                        "Observation/mcs-example-lactate-1",
                        "Observation/mcs-example-map-1",
                        "Observation/mcs-example-cardiac-arrest-1",
                        "Observation/mcs-example-pregnancy-1",
                        "Condition/mcs-example-bleeding-1",
                        "Observation/mcs-example-vital-status-1-30d",
                        "Observation/mcs-example-vital-status-1-180d",
                        "Observation/mcs-example-support-outcome-1",
                        "Observation/mcs-example-eq5d-index-1-180d",
                        "Observation/mcs-example-eq-vas-1-180d");
        // nothing of case 2, no raw windows by default, and the stored example summaries are recomputed, not copied
        assertThat(entries).noneMatch(e -> e.endsWith("-2") || e.contains("-2-"));
        assertThat(entries)
                .doesNotContain(
                        "Observation/mcs-example-telemetry-1-pump-flow-1",
                        "Observation/mcs-example-telemetry-summary-1-pump-flow");
        assertThat(bundle.getList("entry.fullUrl", String.class))
                .allSatisfy(url -> assertThat(url).startsWith(fhirBase() + "/"));
    }

    @Test
    void pseudonymisedCase_mentionsNoIdentifyingValueOfThePatient() {
        GuideExamples.storeOn(fhirBase());

        String json = fhir().queryParam("pseudonymise", true)
                .get(CASE_1)
                .then()
                .statusCode(200)
                .extract()
                .asString();

        for (String identifying : List.of(
                "9990000018",
                "NUH1234567",
                "Hartley",
                "Joan",
                "1967-09-14",
                "mcs-example-patient-1",
                "mcs-example-insertion-1")) {
            assertThat(json).as("pseudonymised case mentions " + identifying).doesNotContain(identifying);
        }
        JsonPath bundle = JsonPath.from(json);
        String patient = "entry.resource.find { it.resourceType == 'Patient' }";
        assertThat(bundle.getString(patient + ".gender")).isEqualTo("female");
        assertThat(bundle.getString(patient + ".birthDate")).isNull();
        assertThat(bundle.getInt(
                        patient + ".extension.find { it.url.endsWith('mcs-age-at-insertion') }.valueAge.value"))
                .isEqualTo(58);
        assertThat(bundle.getList(patient + ".identifier.system"))
                .containsExactly("https://mcs-fhir.org/fhir/sid/registry-pseudonym");
        assertThat(bundle.getList(patient + ".name")).isNull();
        assertThat(json).doesNotContain("\"display\":\"Joan").doesNotContain("\"text\":{\"status\"");
        // clinical dates stay: the insertion time is needed for survival
        assertThat(json).contains("2026-03-10T14:20:00Z");
    }

    @Test
    void unknownInsertion_is404WithOperationOutcome() {
        fhir().get("/Procedure/no-such-insertion/" + RegistryCaseProvider.OPERATION)
                .then()
                .statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", startsWith("MCS-0801"));
    }
}
