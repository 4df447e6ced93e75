package org.mcsfhir.server.cases;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class CaseEvidenceTest {

    private static final String P1 = "Patient/p1";

    @Test
    void eachKnownTypeIsAboutThePatientAtItsStandardPlace() {
        assertThat(CaseEvidence.isAbout(new Observation().setSubject(ref(P1)), P1))
                .isTrue();
        assertThat(CaseEvidence.isAbout(new Condition().setSubject(ref(P1)), P1))
                .isTrue();
        assertThat(CaseEvidence.isAbout(new Procedure().setSubject(ref(P1)), P1))
                .isTrue();
        assertThat(CaseEvidence.isAbout(new Consent().setPatient(ref(P1)), P1)).isTrue();
        assertThat(CaseEvidence.isAbout(new Device().setPatient(ref(P1)), P1)).isTrue();
        assertThat(CaseEvidence.isAbout(new QuestionnaireResponse().setSubject(ref(P1)), P1))
                .isTrue();
    }

    @Test
    void anotherPatientIsNotAboutThePatientWhateverTheRecordPointsAt() {
        Observation dead = new Observation().setSubject(ref("Patient/p2"));
        dead.addFocus(ref("Procedure/insertion-of-p1"));
        Consent consent = new Consent().setPatient(ref("Patient/p2"));
        consent.getProvision().addData().setReference(ref("Procedure/insertion-of-p1"));

        assertThat(CaseEvidence.isAbout(dead, P1)).isFalse();
        assertThat(CaseEvidence.isAbout(consent, P1)).isFalse();
        assertThat(CaseEvidence.isAbout(new Condition().setSubject(ref("Patient/p10")), P1))
                .isFalse();
    }

    @Test
    void versionIsIgnoredButTypeAndIdMustMatch() {
        assertThat(CaseEvidence.isAbout(new Observation().setSubject(ref("Patient/p1/_history/2")), P1))
                .isTrue();
        assertThat(CaseEvidence.isAbout(new Observation().setSubject(ref(P1)), "Patient/p1/_history/7"))
                .isTrue();
        assertThat(CaseEvidence.isAbout(new Observation().setSubject(ref("Group/p1")), P1))
                .isFalse();
        assertThat(CaseEvidence.isAbout(new Observation().setSubject(ref("Patient/p")), P1))
                .isFalse();
    }

    @Test
    void absoluteContainedOrMissingReferencesNeverMatch() {
        assertThat(CaseEvidence.isAbout(
                        new Observation().setSubject(ref("https://elsewhere.example/fhir/Patient/p1")), P1))
                .isFalse();
        assertThat(CaseEvidence.isAbout(new Observation().setSubject(ref("#p1")), P1))
                .isFalse();
        assertThat(CaseEvidence.isAbout(new Observation(), P1)).isFalse();
        assertThat(CaseEvidence.isAbout(new Observation().setSubject(ref(P1)), null))
                .isFalse();
        assertThat(CaseEvidence.isAbout(null, P1)).isFalse();
    }

    @Test
    void unknownTypeFailsClosed() {
        assertThat(CaseEvidence.isAbout(new Encounter().setSubject(ref(P1)), P1))
                .isFalse();
    }

    @Test
    void pumpMayHaveNoPatientButNotAnotherOne_andItsOwnerMustBeTheCentre() {
        String centre = "Organization/a";
        assertThat(CaseEvidence.isPumpOf(new Device(), P1, centre)).isTrue();
        assertThat(CaseEvidence.isPumpOf(new Device().setPatient(ref(P1)), P1, centre))
                .isTrue();
        assertThat(CaseEvidence.isPumpOf(new Device().setPatient(ref("Patient/p2")), P1, centre))
                .isFalse();
        assertThat(CaseEvidence.isPumpOf(new Device().setOwner(ref(centre)), P1, centre))
                .isTrue();
        assertThat(CaseEvidence.isPumpOf(new Device().setOwner(ref("Organization/b")), P1, centre))
                .isFalse();
        assertThat(CaseEvidence.isPumpOf(new Device().setOwner(ref(centre)), P1, null))
                .isFalse();
        assertThat(CaseEvidence.isPumpOf(null, P1, centre)).isFalse();
    }

    private static Reference ref(String reference) {
        return new Reference(reference);
    }
}
