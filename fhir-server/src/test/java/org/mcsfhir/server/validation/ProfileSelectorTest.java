package org.mcsfhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class ProfileSelectorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ProfileSelector SELECTOR = ProfileSelector.fromClasspath(FHIR);
    private static final List<String> RECOGNISED_WITHOUT_DECLARATION = List.of(
            "mcs-pump-insertion",
            "mcs-pump-removal",
            "mcs-microaxial-pump",
            "mcs-pump-telemetry",
            "mcs-complication",
            "mcs-support-outcome",
            "mcs-vital-status",
            "mcs-quality-of-life",
            "mcs-shock-assessment");

    @Test
    void coreClinicalExamplesAreRecognisedEvenWithoutMetaProfile() {
        int checked = 0;
        for (Resource example : GuideExamples.all(FHIR)) {
            String declared = example.getMeta().getProfile().get(0).getValue();
            String profileId = declared.substring(declared.lastIndexOf('/') + 1);
            if (!RECOGNISED_WITHOUT_DECLARATION.contains(profileId)) {
                continue;
            }
            example.getMeta().getProfile().clear();
            assertThat(SELECTOR.profilesFor(example)).as(example.getIdPart()).containsExactly(declared);
            checked++;
        }
        assertThat(checked).as("examples of recognisable profiles").isGreaterThanOrEqualTo(15);
    }

    @Test
    void declaredGuideProfilesAreKeptAndForeignOnesIgnored() {
        Patient patient = new Patient();
        patient.getMeta().addProfile("https://mcs-fhir.org/fhir/StructureDefinition/mcs-patient|0.1.0");
        patient.getMeta().addProfile("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient");

        assertThat(SELECTOR.profilesFor(patient))
                .containsExactly("https://mcs-fhir.org/fhir/StructureDefinition/mcs-patient");
    }

    @Test
    void unrelatedResourcesAreLeftAlone() {
        Procedure appendectomy = new Procedure();
        appendectomy.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("80146002");

        assertThat(SELECTOR.profilesFor(appendectomy)).isEmpty();
    }
}
