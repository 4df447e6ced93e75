package org.mcsfhir.server.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;
import org.mcsfhir.server.tier.ExampleCase;
import org.mcsfhir.testsupport.CaseTableRows;

/**
 * The case table kept by the server's write hooks: writing an insertion makes its row appear, a later consent reaches
 * the row, a patient's second insertion takes over the complications after its start from the first one's row (and
 * hands them back when deleted), every row equals the resources, and the admin operations answer.
 */
class CaseTableContextTest extends ContextTest {

    @Test
    void writingAnInsertion_makesItsRowAppear_andAConsentReachesIt() {
        ExampleCase c = ExampleCase.store(fhirBase(), "cases", Instant.now().minus(5, ChronoUnit.DAYS));

        Map<String, String> row = row(c.insertion);
        assertThat(row)
                .containsEntry("patientId", c.patient.substring("Patient/".length()))
                .containsEntry("centre", ExampleCase.CENTRE_1)
                .containsEntry("sex", "female")
                .containsEntry("recorded", "true")
                .doesNotContainKey("consentId");

        String consent = c.storeConsent();
        assertThat(row(c.insertion)).containsEntry("consentId", consent.substring("Consent/".length()));
    }

    @Test
    void aSecondInsertionOfThePatient_takesOverALaterComplication_andHandsItBackWhenDeleted() {
        Instant first = Instant.now().minus(20, ChronoUnit.DAYS);
        ExampleCase c = ExampleCase.store(fhirBase(), "cases-owner", first);
        String complication = c.storeComplication("bleed", first.plus(10, ChronoUnit.DAYS));
        String complicationId = complication.substring("Condition/".length());
        assertThat(row(c.insertion).get("complications")).startsWith(complicationId + "|");

        String second = c.storeInsertion("second", first.plus(5, ChronoUnit.DAYS));

        assertThat(row(second).get("complications")).startsWith(complicationId + "|");
        assertThat(row(c.insertion).getOrDefault("complications", ""))
                .as("the first insertion's row no longer counts it")
                .doesNotContain(complicationId);

        fhir().delete("/" + second).then().statusCode(200);
        assertThat(row(c.insertion).get("complications")).startsWith(complicationId + "|");
    }

    @Test
    void check_comparesRowsWithTheResources_andRefusesANonPositiveSample() {
        ExampleCase.store(fhirBase(), "cases-check", Instant.now().minus(3, ChronoUnit.DAYS));
        Response check = fhir().queryParam("sample", 1000).get("/" + CaseTableProvider.CHECK);
        assertThat(check.statusCode()).as(check.asString()).isEqualTo(200);
        assertThat(check.jsonPath().getInt("parameter.find { it.name == 'rows' }.valueInteger"))
                .isPositive();
        assertThat(check.jsonPath().getInt("parameter.find { it.name == 'drift' }.valueInteger"))
                .isZero();

        Response refused = fhir().queryParam("sample", 0).get("/" + CaseTableProvider.CHECK);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.asString()).contains("MCS-0881");
    }

    private Map<String, String> row(String insertion) {
        return CaseTableRows.of(fhir().queryParam("insertion", insertion).get("/" + CaseTableProvider.ROW), insertion);
    }
}
