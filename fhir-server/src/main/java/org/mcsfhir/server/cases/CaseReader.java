package org.mcsfhir.server.cases;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * The one reader that turns stored resources into {@link InsertionCase}s: the patient and centre, the pump, the
 * consents, removals, outcome observations and complications of pump insertions. The registry case, the worklist and
 * the outcome audit read cases here; what belongs to a case is decided here and in {@link CaseEvidence}, nowhere
 * else. One case or a whole cohort is read with the same few set-based searches ({@link CaseStore}).
 *
 * <p>A reference to the insertion does not make a record part of the case: only records about the insertion's patient
 * are taken, so one centre cannot put records of its own patients into another centre's case. A complication belongs
 * to the insertion of its patient that lists it ({@code complicationDetail}), else to the patient's latest insertion
 * started at or before its onset (the guide's mcs-case-5: none before the insertion).
 */
public final class CaseReader {

    private final CaseStore store;

    public CaseReader(CaseStore store) {
        this.store = store;
    }

    /** The case of a stored insertion (the caller has checked {@link CaseCodes#isInsertion}). */
    public InsertionCase read(Procedure insertion) {
        return readAll(List.of(insertion), null).get(0);
    }

    /**
     * The cases of stored insertions, in their order; only those of one centre ({@code Organization/<id>}) when
     * {@code centreRef} is given.
     */
    public List<InsertionCase> readAll(List<Procedure> insertions, String centreRef) {
        Map<String, Patient> patients = store.byId(
                Patient.class,
                insertions.stream()
                        .map(p -> CaseReferences.idOf(p.getSubject(), "Patient"))
                        .filter(Objects::nonNull)
                        .toList());
        List<Procedure> kept = centreRef == null
                ? insertions
                : insertions.stream()
                        .filter(p -> centreRef.equals(RecordCentre.referenceOf(patients.get(patientId(p)))))
                        .toList();

        Map<String, Device> devices = store.byId(
                Device.class,
                kept.stream()
                        .flatMap(p -> p.getFocalDevice().stream())
                        .map(f -> CaseReferences.idOf(f.getManipulated(), "Device"))
                        .filter(Objects::nonNull)
                        .toList());
        Map<String, Consent> extensionConsents = store.byId(
                Consent.class,
                kept.stream()
                        .flatMap(p -> p.getExtensionsByUrl(GuideCodes.CONSENT_EXTENSION).stream())
                        .map(e -> e.getValue() instanceof Reference r ? CaseReferences.idOf(r, "Consent") : null)
                        .filter(Objects::nonNull)
                        .toList());
        List<String> insertionRefs = kept.stream().map(CaseReferences::refOf).toList();
        Map<String, List<Consent>> consentsNaming = byInsertion(
                store.consentsNaming(insertionRefs),
                c -> c.getProvision().getData().stream()
                        .map(Consent.provisionDataComponent::getReference)
                        .toList());
        Map<String, List<Procedure>> removals = byInsertion(store.removalsOf(insertionRefs), Procedure::getPartOf);
        Map<String, List<Observation>> outcomes =
                byInsertion(store.observationsFocusedOn(insertionRefs), Observation::getFocus);
        Map<String, List<Condition>> complicationsByOwner = complicationsByInsertion(kept);
        Map<String, List<Observation>> selection = new HashMap<>();
        store.selectionOf(kept.stream()
                        .map(CaseReader::patientId)
                        .filter(Objects::nonNull)
                        .distinct()
                        .map(patientId -> "Patient/" + patientId)
                        .toList())
                .forEach(o -> selection
                        .computeIfAbsent(
                                "Patient/" + CaseReferences.idOf(o.getSubject(), "Patient"), k -> new ArrayList<>())
                        .add(o));

        List<InsertionCase> cases = new ArrayList<>(kept.size());
        for (Procedure insertion : kept) {
            String id = insertion.getIdElement().getIdPart();
            String patientId = patientId(insertion);
            Patient patient = patients.get(patientId);
            String patientRef = patientId == null ? null : "Patient/" + patientId;
            String centre = RecordCentre.referenceOf(patient);
            Device pump = insertion.getFocalDevice().stream()
                    .map(f -> devices.get(CaseReferences.idOf(f.getManipulated(), "Device")))
                    .filter(device -> CaseEvidence.isPumpOf(device, patientRef, centre))
                    .findFirst()
                    .orElse(null);
            Map<String, Consent> consents = new LinkedHashMap<>();
            insertion.getExtensionsByUrl(GuideCodes.CONSENT_EXTENSION).stream()
                    .map(e -> e.getValue() instanceof Reference r ? CaseReferences.idOf(r, "Consent") : null)
                    .map(consentId -> consentId == null ? null : extensionConsents.get(consentId))
                    .forEach(consent -> keep(consents, consent, patientRef));
            consentsNaming.getOrDefault(id, List.of()).forEach(consent -> keep(consents, consent, patientRef));
            List<Condition> complications = complicationsByOwner.getOrDefault(id, List.of()).stream()
                    .filter(c -> CaseEvidence.isAbout(c, patientRef))
                    .toList();
            cases.add(new InsertionCase(
                    insertion,
                    CaseDates.instant(CaseDates.performed(insertion)),
                    patient,
                    patientRef,
                    centre,
                    pump,
                    List.copyOf(consents.values()),
                    about(removals.get(id), patientRef),
                    about(outcomes.get(id), patientRef),
                    complications,
                    about(selection.get(patientRef), patientRef)));
        }
        return cases;
    }
    /**
     * Insertion id → the complications it owns: listed by an insertion of the same patient, else owned by the
     * patient's latest recorded insertion started on or before the onset day (UTC). Every insertion of the patients
     * counts, also outside {@code cohort}: a later one may own a complication.
     */
    private Map<String, List<Condition>> complicationsByInsertion(List<Procedure> cohort) {
        List<String> patientRefs = cohort.stream()
                .map(CaseReader::patientId)
                .filter(Objects::nonNull)
                .distinct()
                .map(id -> "Patient/" + id)
                .toList();
        if (patientRefs.isEmpty()) {
            return Map.of();
        }
        Map<String, Procedure> insertions = new LinkedHashMap<>();
        cohort.forEach(p -> insertions.put(p.getIdElement().getIdPart(), p));
        store.insertionsOf(patientRefs)
                .forEach(p -> insertions.putIfAbsent(p.getIdElement().getIdPart(), p));
        Map<String, List<Procedure>> startedByPatient = new HashMap<>();
        Map<String, String> listedBy = new HashMap<>();
        Set<String> listed = new HashSet<>();
        for (Procedure p : insertions.values()) {
            String patientId = patientId(p);
            if (patientId == null) {
                continue;
            }
            if (recorded(p) && CaseDates.performed(p) != null) {
                startedByPatient
                        .computeIfAbsent(patientId, k -> new ArrayList<>())
                        .add(p);
            }
            for (Reference ref : p.getComplicationDetail()) {
                String conditionId = CaseReferences.idOf(ref, "Condition");
                if (conditionId != null) {
                    listedBy.putIfAbsent(
                            patientId + "|" + conditionId, p.getIdElement().getIdPart());
                    listed.add(conditionId);
                }
            }
        }
        Map<String, Condition> conditions = new LinkedHashMap<>(store.byId(Condition.class, listed));
        store.complicationsOf(patientRefs)
                .forEach(c -> conditions.putIfAbsent(c.getIdElement().getIdPart(), c));

        Map<String, List<Condition>> owned = new HashMap<>();
        for (Condition condition : conditions.values()) {
            String patientId = CaseReferences.idOf(condition.getSubject(), "Patient");
            if (patientId == null) {
                continue;
            }
            String owner =
                    listedBy.get(patientId + "|" + condition.getIdElement().getIdPart());
            if (owner == null) {
                var onset = CaseDates.utcDate(CaseDates.onset(condition));
                owner = onset == null
                        ? null
                        : startedByPatient.getOrDefault(patientId, List.of()).stream()
                                .filter(p -> !CaseDates.utcDate(CaseDates.performed(p))
                                        .isAfter(onset))
                                .max(Comparator.comparing((Procedure p) -> CaseDates.utcDate(CaseDates.performed(p)))
                                        .thenComparing(p -> CaseDates.instant(CaseDates.performed(p))))
                                .map(p -> p.getIdElement().getIdPart())
                                .orElse(null);
            }
            if (owner != null) {
                owned.computeIfAbsent(owner, k -> new ArrayList<>()).add(condition);
            }
        }
        return owned;
    }

    /** Records grouped by the insertions their references name (a record naming two insertions is in both). */
    private static <T extends Resource> Map<String, List<T>> byInsertion(
            List<T> records, Function<T, List<Reference>> references) {
        Map<String, List<T>> grouped = new HashMap<>();
        for (T record : records) {
            references.apply(record).stream()
                    .map(ref -> CaseReferences.idOf(ref, "Procedure"))
                    .filter(Objects::nonNull)
                    .distinct()
                    .forEach(id ->
                            grouped.computeIfAbsent(id, k -> new ArrayList<>()).add(record));
        }
        return grouped;
    }

    static boolean recorded(Procedure insertion) {
        return insertion.getStatus() != Procedure.ProcedureStatus.ENTEREDINERROR
                && insertion.getStatus() != Procedure.ProcedureStatus.NOTDONE;
    }

    private static String patientId(Procedure insertion) {
        return CaseReferences.idOf(insertion.getSubject(), "Patient");
    }

    private static <T extends Resource> void keep(Map<String, T> found, T evidence, String patientRef) {
        if (evidence != null && CaseEvidence.isAbout(evidence, patientRef)) {
            found.putIfAbsent(evidence.getIdElement().getIdPart(), evidence);
        }
    }

    private static <T extends Resource> List<T> about(List<T> evidence, String patientRef) {
        return evidence == null
                ? List.of()
                : evidence.stream()
                        .filter(r -> CaseEvidence.isAbout(r, patientRef))
                        .toList();
    }
}
