package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.cases.CaseReader;
import org.mcsfhir.server.cases.CaseRow;
import org.mcsfhir.server.cases.CaseStore;
import org.mcsfhir.server.cases.CrossCentreCase;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.guide.GuideInstaller;

/**
 * {@code Measure/$audit} counts only evidence about the insertion's patient, by the patient's centre: the cases as the
 * case table holds them (read by the case model, kept as rows) and as the audit builds them from the rows.
 */
class AuditForeignEvidenceTest {

    private static final LocalDate DAY = LocalDate.parse("2024-01-10");
    private static final OutcomeAuditProperties PROPERTIES =
            new OutcomeAuditProperties(5, Duration.ofDays(7), Duration.ofHours(24));
    private static final StratumMaps MAPS =
            StratumMaps.fromGuide(GuideInstaller.guidePackage(), FhirContext.forR4Cached());

    @Test
    void anotherPatientsDeathSupportEndAndConsentDoNotCountForB() {
        AuditCase i2 = byId(null).get("i2");

        assertThat(i2.deathDay()).isNull();
        assertThat(i2.supportEnd()).isNull();
        assertThat(i2.complications()).hasSize(1); // P2's own, although P1's insertion names it
    }

    @Test
    void theConsentAndPumpOfAnotherPatientDoNotCountForA() {
        Map<String, AuditCase> cases = byId(null);

        assertThat(cases.get("i1").evidence()).doesNotContain("consent");
        assertThat(cases.get("i1").complications()).isEmpty();
        assertThat(cases.get("i3").evidence()).doesNotContain("device");
        assertThat(cases.get("i2").evidence()).contains("consent", "device");
    }

    @Test
    void centreIsThePatientsManagingOrganization_notPerformerOnBehalfOf() {
        Map<String, AuditCase> cases = byId(null);
        assertThat(cases.get("i2").centre()).isEqualTo(CrossCentreCase.B);
        assertThat(cases.get("i1").centre()).isEqualTo(CrossCentreCase.A);
        assertThat(byId(CrossCentreCase.B).keySet()).containsExactly("i2");
    }

    private Map<String, AuditCase> byId(String centre) {
        CaseStore store = new CaseStore(CrossCentreCase.daos());
        List<Procedure> insertions = store.search(
                Procedure.class,
                new SearchParameterMap()
                        .add(Procedure.SP_CODE, new TokenParam(GuideCodes.SNOMED, GuideCodes.INSERTION_CODE)));
        return new CaseReader(store)
                .readAll(insertions, centre).stream()
                        .map(c -> CaseBuilder.build(CaseRow.of(c), DAY.plusDays(400), PROPERTIES, MAPS))
                        .collect(Collectors.toMap(AuditCase::insertionId, Function.identity()));
    }
}
