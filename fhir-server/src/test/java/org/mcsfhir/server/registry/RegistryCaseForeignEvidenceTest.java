package org.mcsfhir.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.cases.CrossCentreCase;
import org.mcsfhir.server.validation.ProfileSelector;

/** {@code $registry-case} takes only evidence about the insertion's patient, and the patient's centre. */
class RegistryCaseForeignEvidenceTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final RegistryCaseAssembler assembler = new RegistryCaseAssembler(
            CrossCentreCase.daos(),
            ProfileSelector.fromClasspath(FHIR),
            new RegistryProperties("", 1.0, Duration.ofDays(7), Duration.ofHours(24)),
            Clock.fixed(CrossCentreCase.T0.plusSeconds(86_400L * 400), ZoneOffset.UTC));

    @Test
    void caseOfB_leavesOutEveryRecordOfAnotherPatientThatPointsAtIt() {
        RegistryCaseAssembler.Case c = assembler.collect("i2", true);
        Bundle bundle = assembler.toBundle(c, "http://localhost/fhir");

        assertThat(entries(bundle))
                .doesNotContainAnyElementsOf(CrossCentreCase.foreignToI2())
                .contains("Patient/p2", "Device/d2", "Consent/c2", "Condition/x2");
        assertThat(c.removal()).isNull();
        assertThat(c.telemetrySummaries()).isEmpty();
        assertThat(FHIR.newJsonParser().encodeResourceToString(bundle)).doesNotContain(CrossCentreCase.P1);
    }

    @Test
    void centreIsThePatientsManagingOrganization_notPerformerOnBehalfOf() {
        assertThat(assembler.collect("i2", false).centre().getIdPart()).isEqualTo("b");
        assertThat(assembler.collect("i1", false).centre().getIdPart()).isEqualTo("a");
    }

    @Test
    void caseOfA_takesNeitherTheComplicationNorTheConsentOfAnotherPatientItNames() {
        RegistryCaseAssembler.Case c = assembler.collect("i1", false);

        assertThat(c.complications()).isEmpty();
        assertThat(c.consents()).isEmpty();
        assertThat(c.pump().getIdPart()).isEqualTo("d1");
    }

    @Test
    void anotherPatientsPumpIsNotThePumpOfTheCase() {
        assertThatThrownBy(() -> assembler.collect("i3", false)).hasMessageContaining("MCS-0805");
    }

    private static List<String> entries(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getResource().fhirType() + "/"
                        + e.getResource().getIdElement().getIdPart())
                .toList();
    }
}
