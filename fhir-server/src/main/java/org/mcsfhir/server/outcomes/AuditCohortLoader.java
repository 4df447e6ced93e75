package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.mcsfhir.server.cases.CaseEvidence;
import org.mcsfhir.server.cases.RecordCentre;

/**
 * Loads the audit cohort set-based, never one query per case: the period's insertions in one search; their patients
 * and pumps by {@code _id} and their consents by reference, each naming up to {@code search-chunk-size} ids per
 * search; outcome observations, removals, selection observations and complications by code (or category) and date
 * range, kept when they belong to a cohort insertion or patient. The result is plain {@link AuditCase} records; no
 * FHIR resource outlives the load.
 *
 * <p>Evidence counts for an insertion only when it is about the insertion's patient ({@link CaseEvidence}), whatever
 * it refers to; an insertion's centre is its patient's ({@link RecordCentre}).
 *
 * <p>Reads run with system privileges: who may ask for which centre is decided on the operation (security feature).
 */
class AuditCohortLoader {

    /** Upper bound of one synchronous search (a cohort is bounded by its period; chunked searches by the chunk). */
    private static final int MAX_SYNCHRONOUS = 1_000_000;

    private final DaoRegistry daos;
    private final OutcomeAuditProperties properties;

    AuditCohortLoader(DaoRegistry daos, OutcomeAuditProperties properties) {
        this.daos = daos;
        this.properties = properties;
    }

    /** The insertions started in [periodStart, periodEnd] (UTC dates), of one centre when {@code centre} is given. */
    List<AuditCase> load(LocalDate periodStart, LocalDate periodEnd, String centre, LocalDate referenceDate) {
        List<Procedure> insertions = new ArrayList<>();
        SearchParameterMap byPeriod = new SearchParameterMap()
                .add(Procedure.SP_CODE, new TokenParam(OutcomeCodes.SNOMED, OutcomeCodes.INSERTION_CODE));
        byPeriod.add(Procedure.SP_DATE, new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, periodStart.toString()));
        byPeriod.add(Procedure.SP_DATE, new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, periodEnd.toString()));
        search(Procedure.class, byPeriod, p -> {
            LocalDate start = insertionDate(p);
            boolean recorded = p.getStatus() != Procedure.ProcedureStatus.ENTEREDINERROR
                    && p.getStatus() != Procedure.ProcedureStatus.NOTDONE;
            if (recorded && start != null && !start.isBefore(periodStart) && !start.isAfter(periodEnd)) {
                insertions.add(p);
            }
        });

        Map<String, Patient> patients = byId(Patient.class, insertions.stream()
                .map(p -> idOf(p.getSubject(), "Patient")).filter(id -> id != null).toList());
        if (centre != null) {
            insertions.removeIf(p -> !centre.equals(RecordCentre.referenceOf(patients.get(patientId(p)))));
        }
        Map<String, Device> devices = byId(Device.class, insertions.stream()
                .flatMap(p -> p.getFocalDevice().stream())
                .map(f -> idOf(f.getManipulated(), "Device")).filter(id -> id != null).toList());
        Map<String, Consent> extensionConsents = byId(Consent.class, insertions.stream()
                .flatMap(p -> p.getExtensionsByUrl(OutcomeCodes.CONSENT_EXTENSION).stream())
                .map(e -> e.getValue() instanceof Reference r ? idOf(r, "Consent") : null)
                .filter(id -> id != null).toList());

        List<String> insertionRefs = insertions.stream().map(p -> "Procedure/" + p.getIdElement().getIdPart()).toList();

        // insertion id -> Patient/<id>: evidence found through a reference to an insertion counts only when it is
        // about that insertion's patient (CaseEvidence), so one centre cannot add evidence to another's case
        Map<String, String> patientOf = new HashMap<>();
        insertions.forEach(p -> patientOf.put(p.getIdElement().getIdPart(), patientRef(p)));
        Set<String> insertionIds = patientOf.keySet();
        // Evidence is found by code and date (indexed, no join with a long reference list, which H2 plans badly)
        // and kept when it belongs to a cohort insertion or patient. Outcomes, removals and complications of an
        // insertion are dated between its start (>= periodStart) and the reference date (later ones are ignored).
        String from = periodStart.toString();
        String to = referenceDate.toString();
        Map<String, List<Observation>> outcomesByInsertion = new HashMap<>();
        search(Observation.class, dated(new SearchParameterMap().add(Observation.SP_CODE, new TokenOrListParam()
                        .add(OutcomeCodes.OBSERVATION_CODE_SYSTEM, OutcomeCodes.VITAL_STATUS)
                        .add(OutcomeCodes.OBSERVATION_CODE_SYSTEM, OutcomeCodes.SUPPORT_OUTCOME)
                        .add(OutcomeCodes.SNOMED, OutcomeCodes.EQ5D_INDEX)
                        .add(OutcomeCodes.SNOMED, OutcomeCodes.EQ_VAS)), Observation.SP_DATE, from, to), o -> {
            if (usable(o)) {
                for (Reference focus : o.getFocus()) {
                    String id = idOf(focus, "Procedure");
                    if (id != null && insertionIds.contains(id) && CaseEvidence.isAbout(o, patientOf.get(id))) {
                        outcomesByInsertion.computeIfAbsent(id, k -> new ArrayList<>()).add(o);
                    }
                }
            }
        });
        Map<String, List<Procedure>> removalsByInsertion = new HashMap<>();
        search(Procedure.class, dated(new SearchParameterMap().add(Procedure.SP_CODE,
                        new TokenParam(OutcomeCodes.REMOVAL_SYSTEM, OutcomeCodes.REMOVAL_CODE)), Procedure.SP_DATE, from, to),
                removal -> removal.getPartOf().forEach(ref -> {
                    String id = idOf(ref, "Procedure");
                    if (id != null && insertionIds.contains(id) && CaseEvidence.isAbout(removal, patientOf.get(id))) {
                        removalsByInsertion.computeIfAbsent(id, k -> new ArrayList<>()).add(removal);
                    }
                }));
        // consents can be dated long before or after the insertion: found by reference (one predicate, no join)
        Set<String> consented = new HashSet<>();
        searchByReferences(Consent.class, Consent.SP_DATA, insertionRefs, null, consent -> {
            if (consent.getStatus() != Consent.ConsentState.ENTEREDINERROR) {
                for (Consent.provisionDataComponent data : consent.getProvision().getData()) {
                    String id = idOf(data.getReference(), "Procedure");
                    if (id != null && CaseEvidence.isAbout(consent, patientOf.get(id))) {
                        consented.add(id);
                    }
                }
            }
        });
        Map<String, List<Observation>> selectionByPatient = new HashMap<>();
        LocalDate selectionFrom = periodStart.minusDays(properties.selectionWindowBefore().toDays() + 1);
        LocalDate selectionTo = periodEnd.plusDays(properties.selectionWindowAfter().toDays() + 1);
        search(Observation.class, dated(new SearchParameterMap().add(Observation.SP_CODE, new TokenOrListParam()
                        .add(OutcomeCodes.OBSERVATION_CODE_SYSTEM, OutcomeCodes.SCAI_STAGE)
                        .add(OutcomeCodes.LOINC, OutcomeCodes.PREGNANCY_STATUS)), Observation.SP_DATE,
                selectionFrom.toString(), selectionTo.toString()), o -> {
            String patient = idOf(o.getSubject(), "Patient");
            if (usable(o) && patient != null && patients.containsKey(patient)) {
                selectionByPatient.computeIfAbsent(patient, k -> new ArrayList<>()).add(o);
            }
        });
        Map<String, List<Condition>> complicationsByPatient = new HashMap<>();
        search(Condition.class, dated(new SearchParameterMap().add(Condition.SP_CATEGORY,
                new TokenParam(OutcomeCodes.CONDITION_CATEGORY_SYSTEM, "complication")), Condition.SP_ONSET_DATE, from, to), c -> {
            String patient = idOf(c.getSubject(), "Patient");
            boolean recorded = !hasCode(c.getVerificationStatus(), "entered-in-error")
                    && !hasCode(c.getVerificationStatus(), "refuted");
            if (recorded && patient != null && patients.containsKey(patient)) {
                complicationsByPatient.computeIfAbsent(patient, k -> new ArrayList<>()).add(c);
            }
        });

        // complications: listed in complicationDetail, else the patient's latest insertion started on or before onset;
        // a listing counts only among the patient's own insertions (keyed by patient), another's cannot claim it
        Map<String, List<Procedure>> insertionsByPatient = new HashMap<>();
        Map<String, String> detailOwner = new HashMap<>();
        for (Procedure p : insertions) {
            insertionsByPatient.computeIfAbsent(patientId(p), k -> new ArrayList<>()).add(p);
            p.getComplicationDetail().forEach(ref -> detailOwner.put(patientId(p) + "|" + idOf(ref, "Condition"),
                    p.getIdElement().getIdPart()));
        }
        Map<String, List<Condition>> complicationsByInsertion = new HashMap<>();
        complicationsByPatient.forEach((patientId, conditions) -> {
            List<Procedure> own = insertionsByPatient.getOrDefault(patientId, List.of());
            for (Condition c : conditions) {
                String owner = detailOwner.get(patientId + "|" + c.getIdElement().getIdPart());
                if (owner == null) {
                    LocalDate onset = onset(c);
                    owner = own.stream()
                            .filter(p -> onset != null && !insertionDate(p).isAfter(onset))
                            .max(Comparator.comparing(AuditCohortLoader::insertionDate))
                            .map(p -> p.getIdElement().getIdPart()).orElse(null);
                }
                if (owner != null) {
                    complicationsByInsertion.computeIfAbsent(owner, k -> new ArrayList<>()).add(c);
                }
            }
        });

        List<AuditCase> cases = new ArrayList<>(insertions.size());
        for (Procedure p : insertions) {
            String id = p.getIdElement().getIdPart();
            String patientRef = patientOf.get(id);
            Patient patient = patients.get(patientId(p));
            String centreRef = RecordCentre.referenceOf(patient);
            Device device = p.getFocalDevice().stream().map(f -> devices.get(idOf(f.getManipulated(), "Device")))
                    .filter(d -> CaseEvidence.isPumpOf(d, patientRef, centreRef)).findFirst().orElse(null);
            boolean consent = consented.contains(id) || p.getExtensionsByUrl(OutcomeCodes.CONSENT_EXTENSION).stream()
                    .map(e -> e.getValue() instanceof Reference r ? extensionConsents.get(idOf(r, "Consent")) : null)
                    .anyMatch(c -> c != null && CaseEvidence.isAbout(c, patientRef));
            cases.add(new CaseBuilder(p, patient, device, consent, centreRef, referenceDate)
                    .outcomes(outcomesByInsertion.getOrDefault(id, List.of()))
                    .removals(removalsByInsertion.getOrDefault(id, List.of()))
                    .selection(about(selectionByPatient.get(patientId(p)), patientRef), properties)
                    .complications(about(complicationsByInsertion.get(id), patientRef))
                    .build());
        }
        return cases;
    }

    private static String patientId(Procedure insertion) {
        return idOf(insertion.getSubject(), "Patient");
    }

    /** {@code Patient/<id>} of the insertion's subject, or null when it names no Patient. */
    private static String patientRef(Procedure insertion) {
        String id = patientId(insertion);
        return id == null ? null : "Patient/" + id;
    }

    /** Only the evidence about the patient (kept by subject already; the one rule says so explicitly). */
    private static <T extends Resource> List<T> about(List<T> evidence, String patientRef) {
        return evidence == null ? List.of()
                : evidence.stream().filter(r -> CaseEvidence.isAbout(r, patientRef)).toList();
    }

    private static SearchParameterMap dated(SearchParameterMap map, String param, String from, String to) {
        map.add(param, new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, from));
        map.add(param, new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, to));
        return map;
    }

    static LocalDate insertionDate(Procedure p) {
        if (p.hasPerformedPeriod() && p.getPerformedPeriod().hasStart()) {
            return Days.utcDate(p.getPerformedPeriod().getStartElement());
        }
        return p.hasPerformedDateTimeType() ? Days.utcDate(p.getPerformedDateTimeType()) : null;
    }

    static LocalDate onset(Condition c) {
        if (c.hasOnsetDateTimeType()) {
            return Days.utcDate(c.getOnsetDateTimeType());
        }
        return c.hasOnsetPeriod() && c.getOnsetPeriod().hasStart() ? Days.utcDate(c.getOnsetPeriod().getStartElement()) : null;
    }

    static LocalDate effective(Observation o) {
        if (o.hasEffectiveDateTimeType()) {
            return Days.utcDate(o.getEffectiveDateTimeType());
        }
        if (o.hasEffectivePeriod() && o.getEffectivePeriod().hasStart()) {
            return Days.utcDate(o.getEffectivePeriod().getStartElement());
        }
        return o.hasIssued() ? o.getIssued().toInstant().atZone(ZoneOffset.UTC).toLocalDate() : null;
    }

    static java.time.Instant effectiveInstant(Observation o) {
        BaseDateTimeType value = o.hasEffectiveDateTimeType() ? o.getEffectiveDateTimeType()
                : o.hasEffectivePeriod() ? o.getEffectivePeriod().getStartElement() : null;
        return value == null || value.getValue() == null ? null : value.getValue().toInstant();
    }

    private static boolean usable(Observation o) {
        return o.getStatus() != Observation.ObservationStatus.ENTEREDINERROR
                && o.getStatus() != Observation.ObservationStatus.CANCELLED;
    }

    static boolean hasCode(CodeableConcept concept, String code) {
        return concept != null && concept.getCoding().stream().anyMatch(c -> code.equals(c.getCode()));
    }

    static String codeIn(CodeableConcept concept, String system) {
        if (concept == null) {
            return null;
        }
        for (Coding coding : concept.getCoding()) {
            if (system.equals(coding.getSystem()) && coding.hasCode()) {
                return coding.getCode();
            }
        }
        return null;
    }

    static String idOf(Reference reference, String type) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        IdType id = new IdType(reference.getReference());
        return id.hasIdPart() && type.equals(id.getResourceType()) ? id.getIdPart() : null;
    }

    static String followUpPoint(Observation o) {
        for (Extension e : o.getExtensionsByUrl(OutcomeCodes.FOLLOW_UP_POINT_EXTENSION)) {
            if (e.getValue() instanceof CodeableConcept cc && cc.hasCoding()) {
                return cc.getCodingFirstRep().getCode();
            }
        }
        return null;
    }

    private <T extends IBaseResource> Map<String, T> byId(Class<T> type, Collection<String> ids) {
        Map<String, T> found = new LinkedHashMap<>();
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
        for (List<String> chunk : chunks(distinct)) {
            TokenOrListParam idList = new TokenOrListParam();
            chunk.forEach(id -> idList.add(new TokenParam(id)));
            search(type, new SearchParameterMap().add("_id", idList),
                    r -> found.put(r.getIdElement().getIdPart(), r));
        }
        return found;
    }

    private <T extends IBaseResource> void searchByReferences(Class<T> type, String param, List<String> refs,
            Consumer<SearchParameterMap> more, Consumer<T> consumer) {
        Set<String> seen = new HashSet<>();
        for (List<String> chunk : chunks(refs)) {
            ReferenceOrListParam refList = new ReferenceOrListParam();
            chunk.forEach(ref -> refList.addOr(new ReferenceParam(ref)));
            SearchParameterMap map = new SearchParameterMap().add(param, refList);
            if (more != null) {
                more.accept(map);
            }
            search(type, map, r -> {
                if (seen.add(r.getIdElement().getIdPart())) {
                    consumer.accept(r);
                }
            });
        }
    }

    private <T extends IBaseResource> void search(Class<T> type, SearchParameterMap map, Consumer<T> consumer) {
        // synchronous: no search cache row, every match in one go (a cohort is bounded by the period and chunk size)
        map.setLoadSynchronousUpTo(MAX_SYNCHRONOUS);
        for (IBaseResource resource : daos.getResourceDao(type).search(map, new SystemRequestDetails())
                .getAllResources()) {
            consumer.accept(type.cast(resource));
        }
    }

    private List<List<String>> chunks(List<String> values) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < values.size(); from += properties.searchChunkSize()) {
            chunks.add(values.subList(from, Math.min(values.size(), from + properties.searchChunkSize())));
        }
        return chunks;
    }
}
