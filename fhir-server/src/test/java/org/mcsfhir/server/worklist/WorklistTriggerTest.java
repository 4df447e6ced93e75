package org.mcsfhir.server.worklist;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.guide.GuideCodes;

class WorklistTriggerTest {

    @Test
    void insertionWrite_announcesTheInsertion_removalWriteAnnouncesWhatItIsPartOf() {
        Procedure insertion = new Procedure();
        insertion.setId("Procedure/ins-1");
        insertion.getCode().addCoding().setSystem(GuideCodes.SNOMED).setCode(GuideCodes.INSERTION_CODE);
        assertThat(WorklistTrigger.affected(insertion)).containsExactly("Procedure/ins-1");

        Procedure removal = new Procedure();
        removal.setId("Procedure/rem-1");
        removal.addPartOf(new Reference("Procedure/ins-1"));
        assertThat(WorklistTrigger.affected(removal)).containsExactly("Procedure/ins-1");
    }

    @Test
    void consentAndOutcomeWrites_announceTheInsertionTheyNameAndPatientsAnnounceThemselves() {
        Consent consent = new Consent();
        consent.getProvision().addData().setReference(new Reference("Procedure/ins-2"));
        assertThat(WorklistTrigger.affected(consent)).containsExactly("Procedure/ins-2");

        Observation vitalStatus = new Observation();
        vitalStatus.addFocus(new Reference("Procedure/ins-3"));
        assertThat(WorklistTrigger.affected(vitalStatus)).containsExactly("Procedure/ins-3");

        Patient patient = new Patient();
        patient.setId("Patient/p-1");
        assertThat(WorklistTrigger.affected(patient)).containsExactly("Patient/p-1");
    }

    @Test
    void telemetryWindowsAndTasks_announceNothing() {
        Observation window = new Observation();
        window.addCategory()
                .addCoding()
                .setSystem(GuideCodes.OBSERVATION_CATEGORY_SYSTEM)
                .setCode("device-telemetry");
        window.addPartOf(new Reference("Procedure/ins-1"));
        window.addFocus(new Reference("Procedure/ins-1"));
        assertThat(WorklistTrigger.affected(window)).isEmpty();

        Task task = new Task();
        task.setFocus(new Reference("Procedure/ins-1"));
        assertThat(WorklistTrigger.affected(task)).isEmpty();
    }
}
