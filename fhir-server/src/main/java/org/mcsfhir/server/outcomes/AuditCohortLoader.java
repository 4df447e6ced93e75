package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.mcsfhir.server.cases.CaseCodes;
import org.mcsfhir.server.cases.CaseDates;
import org.mcsfhir.server.cases.CaseEvidence;
import org.mcsfhir.server.cases.CaseReader;
import org.mcsfhir.server.cases.CaseReferences;
import org.mcsfhir.server.cases.CaseStore;
import org.mcsfhir.server.cases.InsertionCase;

/**
 * Loads the audit cohort: the period's insertions in one search, their cases from the case model ({@link CaseReader},
 * set-based: a few searches per {@code search-chunk-size} insertions, never one per case), and the patients' SCAI
 * stage and pregnancy status around the insertion by code and date. The result is plain {@link AuditCase} records; no
 * FHIR resource outlives the load.
 *
 * <p>Reads run with system privileges: who may ask for which centre is decided on the operation (security feature).
 */
class AuditCohortLoader {

    private final CaseStore store;
    private final CaseReader reader;
    private final OutcomeAuditProperties properties;

    AuditCohortLoader(DaoRegistry daos, OutcomeAuditProperties properties) {
        this.store = new CaseStore(daos, properties.searchChunkSize());
        this.reader = new CaseReader(store);
        this.properties = properties;
    }

    /** The insertions started in [periodStart, periodEnd] (UTC dates), of one centre when {@code centre} is given. */
    List<AuditCase> load(LocalDate periodStart, LocalDate periodEnd, String centre, LocalDate referenceDate) {
        SearchParameterMap byPeriod = dated(new SearchParameterMap().add(Procedure.SP_CODE,
                        new TokenParam(OutcomeCodes.SNOMED, OutcomeCodes.INSERTION_CODE)), Procedure.SP_DATE,
                periodStart, periodEnd);
        List<Procedure> insertions = new ArrayList<>();
        for (Procedure p : store.search(Procedure.class, byPeriod)) {
            LocalDate start = CaseDates.utcDate(CaseDates.performed(p));
            boolean recorded = p.getStatus() != Procedure.ProcedureStatus.ENTEREDINERROR
                    && p.getStatus() != Procedure.ProcedureStatus.NOTDONE;
            if (recorded && start != null && !start.isBefore(periodStart) && !start.isAfter(periodEnd)) {
                insertions.add(p);
            }
        }
        List<InsertionCase> cases = reader.readAll(insertions, centre);
        Map<String, List<Observation>> selection = selection(cases, periodStart, periodEnd);

        List<AuditCase> audited = new ArrayList<>(cases.size());
        for (InsertionCase c : cases) {
            audited.add(new CaseBuilder(c, referenceDate)
                    .outcomes(c.outcomes().stream().filter(AuditCohortLoader::usable).toList())
                    .removals(c.removals())
                    .selection(selection.getOrDefault(c.patientRef(), List.of()).stream()
                            .filter(o -> CaseEvidence.isAbout(o, c.patientRef())).toList(), properties)
                    .complications(c.complications().stream().filter(AuditCohortLoader::confirmed).toList())
                    .build());
        }
        return audited;
    }

    /**
     * {@code Patient/<id>} → the patient's SCAI stage and pregnancy status observations dated around the period (the
     * builder keeps those in each insertion's window). Found by code and date, indexed, and kept for cohort patients.
     */
    private Map<String, List<Observation>> selection(List<InsertionCase> cases, LocalDate periodStart,
            LocalDate periodEnd) {
        Set<String> patients = cases.stream().map(InsertionCase::patientRef).filter(ref -> ref != null)
                .collect(Collectors.toSet());
        Map<String, List<Observation>> byPatient = new HashMap<>();
        if (patients.isEmpty()) {
            return byPatient;
        }
        LocalDate from = periodStart.minusDays(properties.selectionWindowBefore().toDays() + 1);
        LocalDate to = periodEnd.plusDays(properties.selectionWindowAfter().toDays() + 1);
        SearchParameterMap map = dated(new SearchParameterMap().add(Observation.SP_CODE, new TokenOrListParam()
                        .add(OutcomeCodes.OBSERVATION_CODE_SYSTEM, OutcomeCodes.SCAI_STAGE)
                        .add(OutcomeCodes.LOINC, OutcomeCodes.PREGNANCY_STATUS)), Observation.SP_DATE, from, to);
        for (Observation o : store.search(Observation.class, map)) {
            String patient = CaseReferences.idOf(o.getSubject(), "Patient");
            if (usable(o) && patient != null && patients.contains("Patient/" + patient)) {
                byPatient.computeIfAbsent("Patient/" + patient, k -> new ArrayList<>()).add(o);
            }
        }
        return byPatient;
    }

    private static SearchParameterMap dated(SearchParameterMap map, String param, LocalDate from, LocalDate to) {
        map.add(param, new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, from.toString()));
        map.add(param, new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, to.toString()));
        return map;
    }

    private static boolean usable(Observation o) {
        return o.getStatus() != Observation.ObservationStatus.ENTEREDINERROR
                && o.getStatus() != Observation.ObservationStatus.CANCELLED;
    }

    private static boolean confirmed(Condition c) {
        return !CaseCodes.hasCode(c.getVerificationStatus(), "entered-in-error")
                && !CaseCodes.hasCode(c.getVerificationStatus(), "refuted");
    }
}
