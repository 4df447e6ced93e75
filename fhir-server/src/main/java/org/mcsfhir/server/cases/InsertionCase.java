package org.mcsfhir.server.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;

/**
 * One pump insertion and the stored evidence that belongs to it, as {@link CaseReader} found it. Every list holds
 * only records about the insertion's patient ({@link CaseEvidence}); the centre is the patient's
 * ({@link RecordCentre}). What each feature makes of it (a registry Bundle, worklist items, audit figures) is its own.
 *
 * @param insertion the Procedure (SNOMED CT 232967006)
 * @param start when the pump was inserted ({@link CaseDates#performed}), computed once here; null when not recorded
 * @param patient the subject Patient, null when it cannot be read
 * @param patientRef {@code Patient/<id>} of the subject (also when it cannot be read), or null
 * @param centreRef {@code Organization/<id>} of the patient's centre, or null
 * @param pump the first {@code focalDevice.manipulated} Device that may be this case's pump, or null
 * @param consents the consent extension's Consents, then the Consents whose {@code provision.data} names the insertion
 * @param removals removals ({@code partOf} the insertion)
 * @param outcomes Observations whose {@code focus} is the insertion (vital status, support outcome, quality of life)
 * @param complications the complications it owns (see {@link CaseReader}): listed in its {@code complicationDetail}, or
 *     the patient's complications from its start day until the patient's next insertion
 * @param selection the patient's SCAI stage and pregnancy status observations, any date (the audit picks those
 *     around the start with its own window)
 */
public record InsertionCase(
        Procedure insertion,
        Instant start,
        Patient patient,
        String patientRef,
        String centreRef,
        Device pump,
        List<Consent> consents,
        List<Procedure> removals,
        List<Observation> outcomes,
        List<Condition> complications,
        List<Observation> selection) {

    /** The Procedure's logical id. */
    public String id() {
        return insertion.getIdElement().getIdPart();
    }

    /** {@code Procedure/<id>}. */
    public String ref() {
        return "Procedure/" + id();
    }

    /** The UTC calendar day of the start (the audit's time zero), or null. */
    public LocalDate startDate() {
        return CaseDates.utcDate(CaseDates.performed(insertion));
    }

    /** False when the insertion is {@code entered-in-error} or {@code not-done}: nothing is counted or asked of it. */
    public boolean recorded() {
        return CaseReader.recorded(insertion);
    }

    /** The first consent that is not {@code entered-in-error}, or null. */
    public Consent consent() {
        return consents.stream()
                .filter(c -> c.getStatus() != Consent.ConsentState.ENTEREDINERROR)
                .findFirst()
                .orElse(null);
    }
}
