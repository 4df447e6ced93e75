package org.mcsfhir.server.registry;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.mcsfhir.server.cases.CaseCodes;
import org.mcsfhir.server.cases.CaseDates;
import org.mcsfhir.server.cases.CaseEvidence;
import org.mcsfhir.server.cases.CaseReader;
import org.mcsfhir.server.cases.CaseReferences;
import org.mcsfhir.server.cases.CaseStore;
import org.mcsfhir.server.cases.InsertionCase;
import org.mcsfhir.server.errors.ClientErrors;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.validation.ProfileSelector;

/**
 * Puts one pump insertion into an {@code mcs-registry-case} Bundle: the case as the case model reads it
 * ({@link CaseReader}: patient, centre, pump, consents, removal, outcomes, complications), plus what only the registry
 * ships (operators, the patient's selection observations around the insertion time, telemetry summaries computed from
 * the stored windows).
 *
 * <p>A reference to the insertion does not make a record part of the case: only evidence about the insertion's
 * patient is taken ({@link CaseEvidence}; what fails is left out), so one centre cannot put records of its own
 * patients into another centre's case.
 *
 * <p>Reads run with system privileges: whether the caller may see the case at all is decided on the operation
 * itself (the security feature), not resource by resource.
 */
class RegistryCaseAssembler {

    private static final int PAGE = 500;
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Set<String> SELECTION = Set.of(
            GuideCodes.SHOCK_ASSESSMENT_PROFILE,
            GuideCodes.HAEMODYNAMICS_PROFILE,
            GuideCodes.SELECTION_FINDING_PROFILE,
            GuideCodes.PREGNANCY_STATUS_PROFILE);
    private static final List<String> OUTCOMES = List.of(
            GuideCodes.VITAL_STATUS_PROFILE, GuideCodes.SUPPORT_OUTCOME_PROFILE, GuideCodes.QUALITY_OF_LIFE_PROFILE);

    /** What the assembler found, before it becomes a Bundle (the pseudonymiser needs the parts). */
    record Case(
            Procedure insertion,
            Patient patient,
            Organization centre,
            List<Practitioner> operators,
            Device pump,
            Procedure removal,
            List<Consent> consents,
            Map<String, List<Observation>> observationsByProfile,
            List<Condition> complications,
            List<Observation> telemetrySummaries,
            List<Observation> telemetryWindows,
            Date insertionStart) {}

    private final DaoRegistry daos;
    private final CaseStore store;
    private final CaseReader reader;
    private final ProfileSelector profiles;
    private final RegistryProperties properties;
    private final Clock clock;

    RegistryCaseAssembler(DaoRegistry daos, ProfileSelector profiles, RegistryProperties properties, Clock clock) {
        this.daos = daos;
        this.store = new CaseStore(daos);
        this.reader = new CaseReader(store);
        this.profiles = profiles;
        this.properties = properties;
        this.clock = clock;
    }

    Case collect(String insertionId, boolean includeTelemetry) {
        InsertionCase found = reader.read(insertion(insertionId));
        String insertionRef = found.ref();
        Patient patient = found.patient();
        if (patient == null) {
            throw ClientErrors.unprocessable(
                    "MCS-0803: " + insertionRef + " has no readable subject Patient; a "
                            + "registry case needs the patient",
                    "Procedure.subject");
        }
        String patientRef = found.patientRef();
        Organization centre =
                found.centreRef() == null ? null : store.read(Organization.class, new Reference(found.centreRef()));
        if (centre == null) {
            throw ClientErrors.unprocessable(
                    "MCS-0804: " + insertionRef + " has no implanting centre: its patient "
                            + "has no readable managingOrganization",
                    "Patient.managingOrganization");
        }
        List<Practitioner> operators = new ArrayList<>();
        for (Procedure.ProcedurePerformerComponent performer : found.insertion().getPerformer()) {
            Practitioner operator = store.read(Practitioner.class, performer.getActor());
            if (operator != null && operators.stream().noneMatch(o -> sameId(o, operator))) {
                operators.add(operator);
            }
        }
        Device pump = found.pump();
        if (pump == null) {
            throw ClientErrors.unprocessable(
                    "MCS-0805: " + insertionRef + " has no readable pump "
                            + "(focalDevice.manipulated) of its patient and centre",
                    "Procedure.focalDevice");
        }
        String pumpRef = "Device/" + pump.getIdElement().getIdPart();
        Procedure removal = found.removals().stream()
                .min(Comparator.comparing(RegistryCaseAssembler::startOrEpoch))
                .orElse(null);
        Date start = Date.from(found.start() == null ? Instant.EPOCH : found.start());

        Map<String, List<Observation>> observations = new LinkedHashMap<>();
        Map<String, Observation> seen = new LinkedHashMap<>();
        SearchParameterMap selection =
                new SearchParameterMap().add(Observation.SP_SUBJECT, new ReferenceParam(patientRef));
        selection.add(
                Observation.SP_DATE,
                new DateParam(
                        ParamPrefixEnum.GREATERTHAN_OR_EQUALS,
                        new Date(start.getTime()
                                - properties.selectionWindowBefore().toMillis())));
        selection.add(
                Observation.SP_DATE,
                new DateParam(
                        ParamPrefixEnum.LESSTHAN_OR_EQUALS,
                        new Date(start.getTime()
                                + properties.selectionWindowAfter().toMillis())));
        for (Observation observation : search(Observation.class, selection)) {
            String profile = sliceOf(observation);
            if (profile != null
                    && SELECTION.contains(profile)
                    && belongsHere(observation, insertionRef)
                    && CaseEvidence.isAbout(observation, patientRef)) {
                seen.put(observation.getIdElement().getIdPart(), observation);
                observations.computeIfAbsent(profile, p -> new ArrayList<>()).add(observation);
            }
        }
        for (Observation observation : found.outcomes()) {
            String profile = sliceOf(observation);
            if (profile != null
                    && OUTCOMES.contains(profile)
                    && seen.putIfAbsent(observation.getIdElement().getIdPart(), observation) == null) {
                observations.computeIfAbsent(profile, p -> new ArrayList<>()).add(observation);
            }
        }
        keepLatest(observations, GuideCodes.PREGNANCY_STATUS_PROFILE);
        keepLatest(observations, GuideCodes.SUPPORT_OUTCOME_PROFILE);

        // Windows can number tens of thousands per run: page through them, keep running statistics only, and keep
        // the windows themselves only when the client asked for them.
        TelemetrySummaries.Accumulator accumulator =
                new TelemetrySummaries.Accumulator(pump.getIdElement().getIdPart(), properties.lowFlowThreshold());
        Set<String> seenWindows = new HashSet<>();
        List<Observation> windowList = new ArrayList<>();
        Consumer<Observation> onWindow = observation -> {
            if (isWindow(observation)
                    && belongsHere(observation, insertionRef)
                    && CaseEvidence.isAbout(observation, patientRef)
                    && seenWindows.add(observation.getIdElement().getIdPart())) {
                accumulator.add(observation);
                if (includeTelemetry) {
                    windowList.add(observation);
                }
            }
        };
        forEach(
                Observation.class,
                new SearchParameterMap().add(Observation.SP_PART_OF, new ReferenceParam(insertionRef)),
                onWindow);
        forEach(
                Observation.class,
                new SearchParameterMap().add(Observation.SP_DEVICE, new ReferenceParam(pumpRef)),
                onWindow);
        List<Observation> summaries = accumulator.summaries();
        for (Observation summary : summaries) {
            // windows found by device alone may lack partOf; the summary always belongs to this insertion
            summary.setPartOf(List.of(new Reference(insertionRef)));
            summary.setSubject(new Reference(patientRef));
            summary.setDevice(new Reference(pumpRef));
        }
        windowList.sort(
                Comparator.comparing((Observation w) -> w.getEffectivePeriod().getStart())
                        .thenComparing(w -> String.valueOf(TelemetrySummaries.channelOf(w))));

        return new Case(
                found.insertion(),
                patient,
                centre,
                operators,
                pump,
                removal,
                new ArrayList<>(found.consents()),
                observations,
                new ArrayList<>(found.complications()),
                summaries,
                windowList,
                start);
    }

    /** The case as an mcs-registry-case Bundle; fullUrls are {@code serverBase/Type/id}, references stay relative. */
    Bundle toBundle(Case c, String serverBase) {
        Bundle bundle = new Bundle();
        bundle.getMeta().addProfile(GuideCodes.REGISTRY_CASE_PROFILE);
        bundle.setType(Bundle.BundleType.COLLECTION);
        bundle.getIdentifier()
                .setSystem(GuideCodes.REGISTRY_CASE_IDENTIFIER_SYSTEM)
                .setValue(c.insertion().getIdElement().getIdPart());
        bundle.setTimestamp(Date.from(clock.instant()));
        add(bundle, serverBase, c.patient());
        add(bundle, serverBase, c.centre());
        c.operators().forEach(o -> add(bundle, serverBase, o));
        add(bundle, serverBase, c.pump());
        add(bundle, serverBase, c.insertion());
        if (c.removal() != null) {
            add(bundle, serverBase, c.removal());
        }
        c.consents().forEach(r -> add(bundle, serverBase, r));
        for (String profile : List.of(
                GuideCodes.SHOCK_ASSESSMENT_PROFILE,
                GuideCodes.HAEMODYNAMICS_PROFILE,
                GuideCodes.SELECTION_FINDING_PROFILE,
                GuideCodes.PREGNANCY_STATUS_PROFILE)) {
            c.observationsByProfile().getOrDefault(profile, List.of()).forEach(r -> add(bundle, serverBase, r));
        }
        c.complications().forEach(r -> add(bundle, serverBase, r));
        for (String profile : OUTCOMES) {
            c.observationsByProfile().getOrDefault(profile, List.of()).forEach(r -> add(bundle, serverBase, r));
        }
        c.telemetrySummaries().forEach(r -> add(bundle, serverBase, r));
        c.telemetryWindows().forEach(r -> add(bundle, serverBase, r));
        return bundle;
    }

    private static void add(Bundle bundle, String serverBase, Resource resource) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        resource.setId(type + "/" + id);
        // meta.source is HAPI's "#requestId" of the write: internal, and not a resolvable URL for a validator
        resource.getMeta().setSource(null);
        bundle.addEntry().setFullUrl(serverBase + "/" + type + "/" + id).setResource(resource);
    }

    private Procedure insertion(String id) {
        if (id == null || !FHIR_ID.matcher(id).matches()) {
            throw ClientErrors.notFound("MCS-0801: there is no Procedure/" + id, null);
        }
        Procedure procedure;
        try {
            procedure = daos.getResourceDao(Procedure.class).read(new IdType("Procedure", id), system());
        } catch (ResourceNotFoundException e) {
            throw ClientErrors.notFound("MCS-0801: there is no Procedure/" + id, null);
        } catch (ResourceGoneException e) {
            throw ClientErrors.gone("MCS-0801: Procedure/" + id + " has been deleted");
        }
        if (!CaseCodes.isInsertion(procedure)) {
            throw ClientErrors.unprocessable(
                    "MCS-0802: Procedure/" + id + " is not a pump insertion "
                            + "(mcs-pump-insertion, code SNOMED CT 232967006); a registry case is defined by its insertion",
                    "Procedure.code");
        }
        return procedure;
    }

    private String sliceOf(Observation observation) {
        if (isWindow(observation) || isStoredSummary(observation)) {
            return null;
        }
        for (String profile : profiles.profilesFor(observation)) {
            if (SELECTION.contains(profile) || OUTCOMES.contains(profile)) {
                return profile;
            }
        }
        boolean pregnancy = observation.getCode().getCoding().stream()
                .anyMatch(c ->
                        GuideCodes.LOINC.equals(c.getSystem()) && GuideCodes.PREGNANCY_STATUS_CODE.equals(c.getCode()));
        return pregnancy ? GuideCodes.PREGNANCY_STATUS_PROFILE : null;
    }

    private static boolean isStoredSummary(Observation observation) {
        return observation.getIdentifier().stream()
                .anyMatch(i -> GuideCodes.TELEMETRY_SUMMARY_IDENTIFIER_SYSTEM.equals(i.getSystem()));
    }

    private static boolean isWindow(Observation observation) {
        boolean telemetry = observation.getCategory().stream()
                .flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> GuideCodes.OBSERVATION_CATEGORY_SYSTEM.equals(c.getSystem())
                        && GuideCodes.TELEMETRY_CATEGORY_CODE.equals(c.getCode()));
        return telemetry
                && !isStoredSummary(observation)
                && observation.hasValueSampledData()
                && observation.hasEffectivePeriod()
                && observation.getEffectivePeriod().hasStart();
    }

    /** An observation that says it is part of / about another procedure belongs to that procedure's case. */
    private static boolean belongsHere(Observation observation, String insertionRef) {
        for (Reference ref : observation.getPartOf()) {
            if (CaseReferences.isType(ref, "Procedure") && !insertionRef.equals(CaseReferences.versionless(ref))) {
                return false;
            }
        }
        for (Reference ref : observation.getFocus()) {
            if (CaseReferences.isType(ref, "Procedure") && !insertionRef.equals(CaseReferences.versionless(ref))) {
                return false;
            }
        }
        return true;
    }

    private static void keepLatest(Map<String, List<Observation>> observations, String profile) {
        List<Observation> list = observations.get(profile);
        if (list != null && list.size() > 1) {
            Observation latest = list.stream()
                    .max(Comparator.comparing(RegistryCaseAssembler::effective))
                    .get();
            list.clear();
            list.add(latest);
        }
    }

    private <T extends IBaseResource> List<T> search(Class<T> type, SearchParameterMap map) {
        map.setLoadSynchronous(true);
        IFhirResourceDao<T> dao = daos.getResourceDao(type);
        List<T> found = new ArrayList<>();
        for (IBaseResource resource : dao.search(map, system()).getAllResources()) {
            found.add(type.cast(resource));
        }
        return found;
    }

    /** Every match of a search, page by page (a synchronous search would stop at HAPI's internal limit). */
    private <T extends IBaseResource> void forEach(Class<T> type, SearchParameterMap map, Consumer<T> consumer) {
        IBundleProvider results = daos.getResourceDao(type).search(map, system());
        for (int from = 0; ; from += PAGE) {
            List<IBaseResource> page = results.getResources(from, from + PAGE);
            if (page.isEmpty()) {
                return;
            }
            page.forEach(resource -> consumer.accept(type.cast(resource)));
        }
    }

    private static Instant startOrEpoch(Procedure procedure) {
        Instant start = CaseDates.instant(CaseDates.performed(procedure));
        return start == null ? Instant.EPOCH : start;
    }

    private static Instant effective(Observation observation) {
        Instant effective = CaseDates.instant(CaseDates.effective(observation));
        if (effective != null) {
            return effective;
        }
        return observation.hasIssued() ? observation.getIssued().toInstant() : Instant.EPOCH;
    }

    private static boolean sameId(Resource a, Resource b) {
        return a.getIdElement().getIdPart().equals(b.getIdElement().getIdPart());
    }

    private static SystemRequestDetails system() {
        return new SystemRequestDetails();
    }
}
