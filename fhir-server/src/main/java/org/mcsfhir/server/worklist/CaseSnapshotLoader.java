package org.mcsfhir.server.worklist;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.mcsfhir.server.cases.CaseEvidence;
import org.mcsfhir.server.cases.RecordCentre;
import org.mcsfhir.server.telemetry.TelemetryActivity;

/**
 * Reads what the worklist rules need about one insertion through HAPI's DAOs (with system privileges: the worklist
 * runs for every centre). Only the few targeted searches the items need, not the whole registry case: the pass runs
 * over every insertion on a schedule.
 *
 * <p>Only evidence about the insertion's patient counts ({@link CaseEvidence}), so another centre's records that
 * point at the insertion neither close nor open its items; the items' owner is the patient's centre
 * ({@link RecordCentre}).
 */
class CaseSnapshotLoader {

    private final DaoRegistry daos;
    private final TelemetryActivity telemetry;

    CaseSnapshotLoader(DaoRegistry daos, TelemetryActivity telemetry) {
        this.daos = daos;
        this.telemetry = telemetry;
    }

    /** Empty when there is no such Procedure (any more) or it is not a pump insertion. */
    Optional<CaseSnapshot> load(String insertionId) {
        Procedure insertion;
        try {
            insertion = daos.getResourceDao(Procedure.class).read(new IdType("Procedure", insertionId), system());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
        if (!isInsertion(insertion)) {
            return Optional.empty();
        }
        String insertionRef = "Procedure/" + insertionId;
        boolean active = insertion.getStatus() != Procedure.ProcedureStatus.ENTEREDINERROR
                && insertion.getStatus() != Procedure.ProcedureStatus.NOTDONE;
        Patient patient = read(Patient.class, insertion.getSubject());
        String patientRef = patient == null ? refOf(insertion.getSubject()) : "Patient/" + patient.getIdPart();

        String centreRef = RecordCentre.referenceOf(patient);
        // only a pump of this patient and centre: its telemetry time must not come from another centre's pump
        String deviceRef = insertion.getFocalDevice().stream()
                .map(Procedure.ProcedureFocalDeviceComponent::getManipulated)
                .map(ref -> read(Device.class, ref))
                .filter(device -> CaseEvidence.isPumpOf(device, patientRef, centreRef))
                .map(device -> "Device/" + device.getIdPart())
                .findFirst()
                .orElse(null);

        List<CaseSnapshot.VitalStatus> vitalStatuses = new ArrayList<>();
        List<CaseSnapshot.Death> deaths = new ArrayList<>();
        if (patient != null && patient.hasDeceasedDateTimeType() && patient.getDeceasedDateTimeType().getValue() != null) {
            deaths.add(new CaseSnapshot.Death(patientRef, patient.getDeceasedDateTimeType().getValue().toInstant()));
        }
        String supportEnd = null;
        for (Observation observation : search(Observation.class, new SearchParameterMap()
                .add(Observation.SP_FOCUS, new ReferenceParam(insertionRef)))) {
            if (observation.getStatus() == Observation.ObservationStatus.ENTEREDINERROR
                    || !CaseEvidence.isAbout(observation, patientRef)) {
                continue;
            }
            String ref = "Observation/" + observation.getIdPart();
            Instant effective = effective(observation);
            if (hasCode(observation.getCode(), WorklistCodes.OBSERVATION_CODE_SYSTEM, "vital-status")) {
                vitalStatuses.add(new CaseSnapshot.VitalStatus(ref, followUpPoint(observation), effective));
                if (observation.hasValueCodeableConcept()
                        && hasCode(observation.getValueCodeableConcept(), WorklistCodes.SNOMED, WorklistCodes.DEAD)) {
                    deaths.add(new CaseSnapshot.Death(ref, effective));
                }
            } else if (hasCode(observation.getCode(), WorklistCodes.OBSERVATION_CODE_SYSTEM, "support-outcome")) {
                supportEnd = supportEnd == null ? ref : supportEnd;
                if (observation.hasValueCodeableConcept() && hasCode(observation.getValueCodeableConcept(),
                        WorklistCodes.SUPPORT_END_SYSTEM, WorklistCodes.DEATH_ON_SUPPORT)) {
                    deaths.add(new CaseSnapshot.Death(ref, effective));
                }
            }
        }
        if (supportEnd == null) {
            supportEnd = search(Procedure.class, new SearchParameterMap()
                            .add(Procedure.SP_PART_OF, new ReferenceParam(insertionRef))
                            .add(Procedure.SP_CODE,
                                    new TokenParam(WorklistCodes.REMOVAL_SYSTEM, WorklistCodes.REMOVAL_CODE)))
                    .stream()
                    .filter(p -> p.getStatus() != Procedure.ProcedureStatus.ENTEREDINERROR)
                    .filter(p -> CaseEvidence.isAbout(p, patientRef))
                    .map(p -> "Procedure/" + p.getIdPart())
                    .findFirst()
                    .orElse(null);
        }
        Instant lastTelemetry = supportEnd == null && deviceRef != null
                ? telemetry.lastSampleTime(new IdType(deviceRef).getIdPart()).orElse(null)
                : null;
        CaseSnapshot.Death death = deaths.stream()
                .filter(d -> d.time() != null)
                .min(Comparator.comparing(CaseSnapshot.Death::time))
                .orElse(null);
        String consentRef = consentOf(insertion, insertionRef, patientRef);
        return Optional.of(new CaseSnapshot(insertionRef, active, performedStart(insertion), patientRef, centreRef,
                insertion.hasBodySite(), deviceRef, consentRef, vitalStatuses, death, supportEnd, lastTelemetry));
    }

    /** The consent extension on the insertion, else a Consent whose provision names it; the patient's only. */
    private String consentOf(Procedure insertion, String insertionRef, String patientRef) {
        for (Extension extension : insertion.getExtensionsByUrl(WorklistCodes.CONSENT_EXTENSION)) {
            if (extension.getValue() instanceof Reference ref
                    && CaseEvidence.isAbout(read(Consent.class, ref), patientRef)) {
                return refOf(ref);
            }
        }
        return search(Consent.class, new SearchParameterMap().add(Consent.SP_DATA, new ReferenceParam(insertionRef)))
                .stream()
                .filter(c -> c.getStatus() != Consent.ConsentState.ENTEREDINERROR)
                .filter(c -> CaseEvidence.isAbout(c, patientRef))
                .map(c -> "Consent/" + c.getIdPart())
                .findFirst()
                .orElse(null);
    }

    static boolean isInsertion(Procedure procedure) {
        return hasCode(procedure.getCode(), WorklistCodes.SNOMED, WorklistCodes.INSERTION_CODE);
    }

    private static String followUpPoint(Observation observation) {
        Extension point = observation.getExtensionByUrl(WorklistCodes.FOLLOW_UP_POINT_EXTENSION);
        if (point != null && point.getValue() instanceof CodeableConcept concept && concept.hasCoding()) {
            return concept.getCodingFirstRep().getCode();
        }
        return null;
    }

    private static Instant effective(Observation observation) {
        if (observation.hasEffectiveDateTimeType() && observation.getEffectiveDateTimeType().getValue() != null) {
            return observation.getEffectiveDateTimeType().getValue().toInstant();
        }
        if (observation.hasEffectivePeriod() && observation.getEffectivePeriod().hasStart()) {
            return observation.getEffectivePeriod().getStart().toInstant();
        }
        return null;
    }

    private static Instant performedStart(Procedure procedure) {
        Date start = procedure.hasPerformedPeriod() ? procedure.getPerformedPeriod().getStart()
                : procedure.hasPerformedDateTimeType() ? procedure.getPerformedDateTimeType().getValue() : null;
        // without a start the profile is broken anyway; epoch makes every item due, which is what a coordinator needs
        return start == null ? Instant.EPOCH : start.toInstant();
    }

    private static boolean hasCode(CodeableConcept concept, String system, String code) {
        return concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    private <T extends IBaseResource> T read(Class<T> type, Reference reference) {
        if (!isType(reference, daos.getFhirContext().getResourceType(type))) {
            return null;
        }
        try {
            return daos.getResourceDao(type).read(new IdType(reference.getReference()).toUnqualifiedVersionless(),
                    system());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return null;
        }
    }

    private <T extends IBaseResource> List<T> search(Class<T> type, SearchParameterMap map) {
        map.setLoadSynchronous(true);
        return daos.getResourceDao(type).search(map, system()).getAllResources().stream().map(type::cast).toList();
    }

    private static boolean isType(Reference reference, String type) {
        return reference != null && reference.hasReference()
                && type.equals(new IdType(reference.getReference()).getResourceType());
    }

    private static String refOf(Reference reference) {
        return reference == null || !reference.hasReference() ? null
                : new IdType(reference.getReference()).toUnqualifiedVersionless().getValue();
    }

    private static SystemRequestDetails system() {
        return new SystemRequestDetails();
    }
}
