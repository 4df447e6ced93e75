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
    void exampleCase1_isACollectionOfItsRecords() {
        GuideExamples.storeOn(fhirBase());

        JsonPath bundle = fhir().get(CASE_1).then().statusCode(200).extract().jsonPath();

        assertThat(bundle.getString("resourceType")).isEqualTo("Bundle");
        assertThat(bundle.getString("type")).isEqualTo("collection");
        assertThat(bundle.getString("identifier.value")).isEqualTo("mcs-example-insertion-1");
        List<String> entries = bundle.getList("entry.resource.collect { it.resourceType + '/' + it.id }");
        assertThat(entries)
                .contains(
                        "Patient/mcs-example-patient-1",
                        "Device/mcs-example-pump-1",
                        "Procedure/mcs-example-insertion-1",
                        "Consent/mcs-example-consent-1a",
                        "Condition/mcs-example-bleeding-1");
        assertThat(entries).noneMatch(e -> e.endsWith("-2") || e.contains("-2-"));
    }

    @Test
    void pseudonymisedCase_mentionsNoIdentifyingValue() {
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
        assertThat(bundle.getList("entry.resource.find { it.resourceType == 'Patient' }.identifier.system"))
                .containsExactly("https://mcs-fhir.org/fhir/sid/registry-pseudonym");
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
