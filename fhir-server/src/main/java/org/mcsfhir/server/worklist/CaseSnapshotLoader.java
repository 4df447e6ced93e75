package org.mcsfhir.server.worklist;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.mcsfhir.server.cases.CaseCodes;
import org.mcsfhir.server.cases.CaseDates;
import org.mcsfhir.server.cases.CaseReader;
import org.mcsfhir.server.cases.CaseReferences;
import org.mcsfhir.server.cases.CaseStore;
import org.mcsfhir.server.cases.InsertionCase;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.telemetry.TelemetryActivity;

/**
 * Reduces one insertion's case, as the case model reads it ({@link CaseReader}: only evidence about the insertion's
 * patient, the patient's centre as owner), to what the worklist rules need, plus the pump's last telemetry sample.
 * Reads run with system privileges: the worklist runs for every centre.
 */
class CaseSnapshotLoader {

    private final DaoRegistry daos;
    private final CaseReader reader;
    private final TelemetryActivity telemetry;

    CaseSnapshotLoader(DaoRegistry daos, TelemetryActivity telemetry) {
        this.daos = daos;
        this.reader = new CaseReader(new CaseStore(daos));
        this.telemetry = telemetry;
    }

    /** Empty when there is no such Procedure (any more) or it is not a pump insertion. */
    Optional<CaseSnapshot> load(String insertionId) {
        Procedure insertion;
        try {
            insertion = daos.getResourceDao(Procedure.class)
                    .read(new IdType("Procedure", insertionId), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
        if (!CaseCodes.isInsertion(insertion)) {
            return Optional.empty();
        }
        InsertionCase found = reader.read(insertion);
        String deviceRef = found.pump() == null ? null : CaseReferences.refOf(found.pump());

        List<CaseSnapshot.VitalStatus> vitalStatuses = new ArrayList<>();
        List<CaseSnapshot.Death> deaths = new ArrayList<>();
        Patient patient = found.patient();
        Instant deceased = patient != null && patient.hasDeceasedDateTimeType()
                ? CaseDates.instant(patient.getDeceasedDateTimeType())
                : null;
        if (deceased != null) {
            deaths.add(new CaseSnapshot.Death(found.patientRef(), deceased));
        }
        String supportEnd = null;
        for (Observation observation : found.outcomes()) {
            if (observation.getStatus() == Observation.ObservationStatus.ENTEREDINERROR) {
                continue;
            }
            String ref = CaseReferences.refOf(observation);
            Instant effective = CaseDates.instant(CaseDates.effective(observation));
            if (CaseCodes.hasCode(
                    observation.getCode(), GuideCodes.OBSERVATION_CODE_SYSTEM, GuideCodes.VITAL_STATUS_CODE)) {
                vitalStatuses.add(new CaseSnapshot.VitalStatus(ref, CaseCodes.followUpPoint(observation), effective));
                if (observation.hasValueCodeableConcept()
                        && CaseCodes.hasCode(
                                observation.getValueCodeableConcept(), GuideCodes.SNOMED, GuideCodes.DEAD)) {
                    deaths.add(new CaseSnapshot.Death(ref, effective));
                }
            } else if (CaseCodes.hasCode(
                    observation.getCode(), GuideCodes.OBSERVATION_CODE_SYSTEM, GuideCodes.SUPPORT_OUTCOME_CODE)) {
                supportEnd = supportEnd == null ? ref : supportEnd;
                if (observation.hasValueCodeableConcept()
                        && CaseCodes.hasCode(
                                observation.getValueCodeableConcept(),
                                GuideCodes.SUPPORT_END_SYSTEM,
                                GuideCodes.DEATH_ON_SUPPORT)) {
                    deaths.add(new CaseSnapshot.Death(ref, effective));
                }
            }
        }
        if (supportEnd == null) {
            supportEnd = found.removals().stream()
                    .filter(p -> p.getStatus() != Procedure.ProcedureStatus.ENTEREDINERROR)
                    .map(CaseReferences::refOf)
                    .findFirst()
                    .orElse(null);
        }
        Instant lastTelemetry = supportEnd == null && found.pump() != null
                ? telemetry
                        .lastSampleTime(found.pump().getIdElement().getIdPart())
                        .orElse(null)
                : null;
        CaseSnapshot.Death death = deaths.stream()
                .filter(d -> d.time() != null)
                .min(Comparator.comparing(CaseSnapshot.Death::time))
                .orElse(null);
        Consent consent = found.consent();
        // without a start the profile is broken anyway; epoch makes every item due, which is what a coordinator needs
        Instant start = found.start() == null ? Instant.EPOCH : found.start();
        return Optional.of(new CaseSnapshot(
                found.ref(),
                found.recorded(),
                start,
                found.patientRef(),
                found.centreRef(),
                insertion.hasBodySite(),
                deviceRef,
                consent == null ? null : CaseReferences.refOf(consent),
                vitalStatuses,
                death,
                supportEnd,
                lastTelemetry));
    }
}
