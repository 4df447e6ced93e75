package org.mcsfhir.server.cases;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * The lookups {@link CaseReader} makes, on HAPI's DAOs, set-based: each names up to {@code chunkSize} ids or
 * references per search (an OR list bounds the SQL IN list), never one search per case. Reads run with system
 * privileges: whether a caller may see a case at all is decided on the operation that asks (security feature).
 * References are {@code Type/id}.
 */
public final class CaseStore {

    /** Upper bound of one synchronous search (each names at most {@code chunkSize} ids). */
    private static final int MAX_SYNCHRONOUS = 1_000_000;

    private final DaoRegistry daos;
    private final int chunkSize;

    public CaseStore(DaoRegistry daos, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive");
        }
        this.daos = daos;
        this.chunkSize = chunkSize;
    }

    public CaseStore(DaoRegistry daos) {
        this(daos, 500);
    }

    /** The resource a relative reference names, or null when it names another type, nothing, or a deleted one. */
    public <T extends Resource> T read(Class<T> type, Reference reference) {
        String id = CaseReferences.idOf(reference, daos.getFhirContext().getResourceType(type));
        if (id == null) {
            return null;
        }
        try {
            return daos.getResourceDao(type)
                    .read(new IdType(reference.getReference()).toUnqualifiedVersionless(), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return null;
        }
    }

    /** The stored resources of these logical ids, by id (absent and deleted ones left out). */
    public <T extends Resource> Map<String, T> byId(Class<T> type, Collection<String> ids) {
        Map<String, T> found = new LinkedHashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(new LinkedHashSet<>(ids)))) {
            TokenOrListParam idList = new TokenOrListParam();
            chunk.forEach(id -> idList.add(new TokenParam(id)));
            search(type, new SearchParameterMap().add("_id", idList))
                    .forEach(r -> found.put(r.getIdElement().getIdPart(), r));
        }
        return found;
    }

    /** Removals whose {@code partOf} names one of the insertions. */
    public List<Procedure> removalsOf(Collection<String> insertionRefs) {
        return byReference(Procedure.class, Procedure.SP_PART_OF, insertionRefs).stream()
                .filter(CaseCodes::isRemoval)
                .toList();
    }

    /** Consents whose {@code provision.data} names one of the insertions. */
    public List<Consent> consentsNaming(Collection<String> insertionRefs) {
        return byReference(Consent.class, Consent.SP_DATA, insertionRefs);
    }

    /** Observations whose {@code focus} names one of the insertions. */
    public List<Observation> observationsFocusedOn(Collection<String> insertionRefs) {
        return byReference(Observation.class, Observation.SP_FOCUS, insertionRefs);
    }

    /**
     * The patients' SCAI stage and pregnancy status observations ({@link CaseCodes#isSelection}), any date. Searched
     * by code as well as subject: the patients' telemetry windows are many and are not wanted here.
     */
    public List<Observation> selectionOf(Collection<String> patientRefs) {
        Map<String, Observation> found = new LinkedHashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(new LinkedHashSet<>(patientRefs)))) {
            ReferenceOrListParam subjects = new ReferenceOrListParam();
            chunk.forEach(ref -> subjects.addOr(new ReferenceParam(ref)));
            search(
                            Observation.class,
                            new SearchParameterMap()
                                    .add(Observation.SP_SUBJECT, subjects)
                                    .add(
                                            Observation.SP_CODE,
                                            new TokenOrListParam()
                                                    .add(GuideCodes.OBSERVATION_CODE_SYSTEM, GuideCodes.SCAI_STAGE_CODE)
                                                    .add(GuideCodes.LOINC, GuideCodes.PREGNANCY_STATUS_CODE)))
                    .forEach(o -> found.putIfAbsent(o.getIdElement().getIdPart(), o));
        }
        return List.copyOf(found.values());
    }

    /** Conditions of category {@code complication} whose subject is one of the patients. */
    public List<Condition> complicationsOf(Collection<String> patientRefs) {
        return byReference(Condition.class, Condition.SP_SUBJECT, patientRefs).stream()
                .filter(c -> c.getCategory().stream()
                        .anyMatch(cc -> CaseCodes.hasCode(
                                cc, GuideCodes.CONDITION_CATEGORY_SYSTEM, GuideCodes.COMPLICATION_CATEGORY_CODE)))
                .toList();
    }

    /** Pump insertions whose subject is one of the patients. */
    public List<Procedure> insertionsOf(Collection<String> patientRefs) {
        return byReference(Procedure.class, Procedure.SP_SUBJECT, patientRefs).stream()
                .filter(CaseCodes::isInsertion)
                .toList();
    }

    /** Every match of a search at once (bounded by the caller's criteria). */
    public <T extends Resource> List<T> search(Class<T> type, SearchParameterMap map) {
        map.setLoadSynchronousUpTo(MAX_SYNCHRONOUS);
        return daos.getResourceDao(type).search(map, new SystemRequestDetails()).getAllResources().stream()
                .map(type::cast)
                .toList();
    }

    /**
     * Every resource whose {@code param} names one of {@code refs}. One predicate per search, codes checked in memory:
     * H2 plans a reference OR list joined with a token predicate badly (seconds per query).
     */
    private <T extends Resource> List<T> byReference(Class<T> type, String param, Collection<String> refs) {
        Map<String, T> found = new LinkedHashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(new LinkedHashSet<>(refs)))) {
            ReferenceOrListParam refList = new ReferenceOrListParam();
            chunk.forEach(ref -> refList.addOr(new ReferenceParam(ref)));
            search(type, new SearchParameterMap().add(param, refList))
                    .forEach(r -> found.putIfAbsent(r.getIdElement().getIdPart(), r));
        }
        return List.copyOf(found.values());
    }

    private List<List<String>> chunks(List<String> values) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < values.size(); from += chunkSize) {
            chunks.add(values.subList(from, Math.min(values.size(), from + chunkSize)));
        }
        return chunks;
    }
}
