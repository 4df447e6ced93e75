package org.mcsfhir.server.security;

import static org.mcsfhir.server.security.SmartScopes.Permission.CREATE;
import static org.mcsfhir.server.security.SmartScopes.Permission.DELETE;
import static org.mcsfhir.server.security.SmartScopes.Permission.READ;
import static org.mcsfhir.server.security.SmartScopes.Permission.SEARCH;
import static org.mcsfhir.server.security.SmartScopes.Permission.UPDATE;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleTester;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.ValueSet;
import org.mcsfhir.server.cases.CaseTable;
import org.mcsfhir.server.cases.RecordCentre;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.registry.RegistryCaseProvider;

/**
 * The access policy: which HAPI {@link ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor} rules a
 * client gets, from its {@link ClientKind} intersected with its SMART scopes. Whatever no rule allows is denied, so a
 * new endpoint is closed until a rule here opens it (add the rule for the kinds that need it, and a row to the
 * isolation matrix IT).
 */
public class AccessRules {

    /** The register of trained operators: maintained by admins, read by every centre's EHR. */
    public static final Set<String> OPERATOR_TYPES = Set.of("Practitioner", "PractitionerRole");

    /** The implementation guide's run-time content: readable by every kind with a scope for it, writable by admins. */
    public static final Set<String> CONFORMANCE_TYPES =
            Set.of("StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "SearchParameter");

    /**
     * What administrators maintain: the guide's conformance resources, the register of implanting centres and the
     * register of trained operators (Practitioner, with PractitionerRole per centre: HTG775 asks for trained operators).
     */
    public static final Set<String> ADMIN_TYPES = union(CONFORMANCE_TYPES, Set.of("Organization"), OPERATOR_TYPES);

    /**
     * Resources every centre may refer to and none owns: the registers of centres and operators, places, medicines,
     * device kinds, and the guide's conformance and knowledge resources. A reference to any other type is a reference
     * to a clinical record, which a centre-bound client may only make within its centre ({@link ReferenceGuard}).
     */
    public static final Set<String> SHARED_TYPES = union(
            ADMIN_TYPES,
            Set.of(
                    "Location",
                    "HealthcareService",
                    "Endpoint",
                    "Medication",
                    "Substance",
                    "DeviceDefinition",
                    "Questionnaire",
                    "Measure",
                    "Library",
                    "PlanDefinition",
                    "ActivityDefinition",
                    "ObservationDefinition"));

    private static final Set<String> NEVER_FOR_CLIENTS = Set.of("AuditEvent");

    /** Procedure/[id]/$registry-case (registry feature): one pump insertion as a registry case Bundle. */
    public static final String REGISTRY_CASE = RegistryCaseProvider.OPERATION;

    /** Device/[id]/$telemetry-series (telemetry feature): one channel of one pump, stitched across windows. */
    public static final String TELEMETRY_SERIES = "$telemetry-series";

    /** Task/$worklist-refresh: re-evaluates the completeness worklist now. */
    public static final String WORKLIST_REFRESH = "$worklist-refresh";

    /** Measure/$audit (outcome audit): MeasureReports per centre; parameter {@value #AUDIT_CENTRE} picks one centre. */
    public static final String AUDIT = "$audit";

    /**
     * Measure/$audit-dataset (outcome audit): one row per insertion for statisticians; the same rules and
     * {@value #AUDIT_CENTRE} parameter as {@link #AUDIT} (pseudonymised as {@link #REGISTRY_CASE} for a registry
     * without the identifiable-data grant).
     */
    public static final String AUDIT_DATASET = "$audit-dataset";

    /**
     * Measure/$audit-charts (outcome audit): the dashboard's chart series; the same rules and {@value #AUDIT_CENTRE}
     * parameter as {@link #AUDIT} (per-centre series of the asked centre only, national figures as aggregates).
     */
    public static final String AUDIT_CHARTS = "$audit-charts";

    /** The outcome audit operations: one access rule for all of them (a centre-bound client names its own centre). */
    public static final List<String> AUDIT_OPERATIONS = List.of(AUDIT, AUDIT_DATASET, AUDIT_CHARTS);

    public static final String AUDIT_CENTRE = "centre";

    /**
     * Types that belong to a centre through {@code owner} (an Organization) rather than through a patient: HAPI's R4
     * Patient compartment does not contain Task, so the worklist's Tasks ({@code owner} = centre, {@code for} =
     * patient) are narrowed by owner ({@link AccessGuardInterceptor}) and checked by {@link CentreDirectory#belongsTo}.
     */
    public static final Set<String> CENTRE_OWNED_TYPES = Set.of("Task");

    private static final Map<String, List<String>> TERMINOLOGY_OPERATIONS = Map.of(
            "ValueSet", List.of("$expand", "$validate-code"),
            "CodeSystem", List.of("$lookup", "$validate-code", "$subsumes"),
            "ConceptMap", List.of("$translate"));

    private final Set<String> patientCompartmentTypes;
    private final CentreDirectory directory;

    public AccessRules(FhirContext fhirContext, CentreDirectory directory) {
        this.directory = directory;
        Set<String> types = new TreeSet<>();
        for (String type : fhirContext.getResourceTypes()) {
            if (type.equals("Patient")
                    || !fhirContext
                            .getResourceDefinition(type)
                            .getSearchParamsForCompartmentName("Patient")
                            .isEmpty()) {
                types.add(type);
            }
        }
        types.removeAll(NEVER_FOR_CLIENTS);
        this.patientCompartmentTypes = Set.copyOf(types);
    }

    /** Resource types whose searches can be narrowed to a set of patients (the Patient compartment, and Patient). */
    public Set<String> patientCompartmentTypes() {
        return patientCompartmentTypes;
    }

    /**
     * @param centrePatients the ids of the centre's patients, asked for only when a centre-bound client needs them
     */
    public List<IAuthRule> rulesFor(ClientIdentity client, Supplier<Collection<String>> centrePatients) {
        if (client.open()) {
            return new RuleBuilder().allowAll("open mode: no issuer configured").build();
        }
        RuleBuilder rules = new RuleBuilder();
        rules.allow("capability statement").metadata();
        if (client.kind().isEmpty()) {
            return rules.build();
        }
        SmartScopes scopes = client.scopes();
        switch (client.kind().get()) {
            case EHR -> ehr(rules, scopes, client.centre().orElseThrow(), centrePatients.get());
            case DEVICE_GATEWAY -> deviceGateway(rules, scopes, client.centre().orElseThrow());
            case REGISTRY -> registry(rules, scopes, client.identifiableDataGrant());
            case ADMIN -> admin(rules, scopes);
            case GOVERNANCE -> governance(rules, scopes);
        }
        return rules.build();
    }

    private void ehr(RuleBuilder rules, SmartScopes scopes, String centre, Collection<String> patientIds) {
        Set<String> patients = patientIds instanceof Set<String> set ? set : Set.copyOf(patientIds);
        IAuthRuleTester ownCentre = ownCentre(centre);
        // What is read is checked on the way out against the centre's patients (searches are narrowed to them
        // beforehand). A tester with a set lookup rather than HAPI's inCompartment(list), which walks the resource
        // once per patient of the centre.
        IAuthRuleTester ownPatients =
                tester(request -> request.resource == null || directory.inCompartmentOfAny(request.resource, patients));
        for (String type : patientCompartmentTypes) {
            if (scopes.allowsAny(type, Set.of(READ, SEARCH)) && !patients.isEmpty()) {
                rules.allow("read " + type + " of own centre")
                        .read()
                        .resourcesOfType(type)
                        .withAnyId()
                        .withTester(ownPatients);
            }
            writes(rules, scopes, type, ownCentre, true);
        }
        if (scopes.allowsAny("Device", Set.of(READ, SEARCH))) {
            rules.allow("read devices owned by own centre")
                    .read()
                    .resourcesOfType("Device")
                    .withAnyId()
                    .withTester(ownCentre);
        }
        for (String type : CENTRE_OWNED_TYPES) {
            if (scopes.allowsAny(type, Set.of(READ, SEARCH))) {
                rules.allow("read " + type + " owned by own centre")
                        .read()
                        .resourcesOfType(type)
                        .withAnyId()
                        .withTester(ownCentre);
            }
            // no conditional create/update/delete: their matches could not be narrowed to the centre
            writes(rules, scopes, type, ownCentre, false);
        }
        if (scopes.allows("Organization", READ)) {
            rules.allow("read own centre").read().instance(new IdType("Organization", centre));
        }
        for (String type : OPERATOR_TYPES) {
            if (scopes.allowsAny(type, Set.of(READ, SEARCH))) {
                rules.allow("read the operator register: " + type)
                        .read()
                        .resourcesOfType(type)
                        .withAnyId();
            }
        }
        if (scopes.allows("MeasureReport", READ)) {
            // what $audit returns to the centre: aggregate reports whose reporter is the own centre
            rules.allow("read own centre's audit reports")
                    .read()
                    .resourcesOfType("MeasureReport")
                    .withAnyId()
                    .withTester(tester(request -> request.resource == null
                            || (request.resource instanceof MeasureReport report
                                    && RecordCentre.organizationId(report.getReporter())
                                            .filter(centre::equals)
                                            .isPresent())));
        }
        if (scopes.allows("Patient", READ)) {
            rules.allow("$everything of own patients")
                    .operation()
                    .named("$everything")
                    .onInstancesOfType(Patient.class)
                    .andRequireExplicitResponseAuthorization();
        }
        // Operations whose answer is about one stored resource: decided on that resource's centre before the
        // operation runs (the answer is then the centre's own data, identifiable: the EHR is the data's source).
        if (scopes.allows("Procedure", READ) && scopes.allows("Patient", READ)) {
            rules.allow(REGISTRY_CASE + " of own centre's insertions")
                    .operation()
                    .named(REGISTRY_CASE)
                    .onInstancesOfType(Procedure.class)
                    .andAllowAllResponses()
                    .withTester(storedInstance(id -> directory.storedBelongsTo(id, centre)));
        }
        if (scopes.allows("Observation", READ)) {
            rules.allow(TELEMETRY_SERIES + " of own centre's pumps")
                    .operation()
                    .named(TELEMETRY_SERIES)
                    .onInstancesOfType(Device.class)
                    .andAllowAllResponses()
                    .withTester(storedInstance(id -> directory.deviceBelongsTo(id.getIdPart(), centre)));
        }
        if (scopes.allows("MeasureReport", READ)) {
            for (String operation : AUDIT_OPERATIONS) {
                rules.allow(operation + " of own centre")
                        .operation()
                        .named(operation)
                        .onType(Measure.class)
                        .andAllowAllResponses()
                        .withTester(tester(request -> auditsOnly(request.requestDetails, centre)));
            }
        }
        readConformance(rules, scopes);
        rules.allow("transaction and batch").transaction().withAnyOperation().andApplyNormalRules();
    }

    private void writes(
            RuleBuilder rules, SmartScopes scopes, String type, IAuthRuleTester ownCentre, boolean conditional) {
        boolean create = scopes.allows(type, CREATE);
        boolean update = scopes.allows(type, UPDATE);
        if (create && update) {
            rules.allow("write " + type + " of own centre")
                    .write()
                    .resourcesOfType(type)
                    .withAnyId()
                    .withTester(ownCentre);
        } else if (create) {
            rules.allow("create " + type + " of own centre")
                    .create()
                    .resourcesOfType(type)
                    .withAnyId()
                    .withTester(ownCentre);
        } else if (update) {
            rules.allow("update " + type + " of own centre")
                    .write()
                    .resourcesOfType(type)
                    .withAnyId()
                    .withTester(tester(request ->
                            request.operation != RestOperationTypeEnum.CREATE && ownCentre.matches(request)));
        }
        if (create && conditional) {
            rules.allow("conditional create " + type).createConditional().resourcesOfType(type);
        }
        if (update && conditional) {
            rules.allow("conditional update " + type).updateConditional().resourcesOfType(type);
        }
        if (scopes.allows(type, DELETE)) {
            rules.allow("delete " + type + " of own centre")
                    .delete()
                    .resourcesOfType(type)
                    .withAnyId()
                    .withTester(ownCentre);
            if (conditional) {
                rules.allow("conditional delete " + type).deleteConditional().resourcesOfType(type);
            }
        }
    }

    private void deviceGateway(RuleBuilder rules, SmartScopes scopes, String centre) {
        IAuthRuleTester ownTelemetry = tester(request -> request.resource == null
                || (request.resource instanceof Observation observation
                        && isTelemetry(observation)
                        && directory.belongsTo(observation, centre)));
        boolean create = scopes.allows("Observation", CREATE);
        boolean update = scopes.allows("Observation", UPDATE);
        if (create) {
            rules.allow("create own centre's telemetry")
                    .create()
                    .resourcesOfType("Observation")
                    .withAnyId()
                    .withTester(ownTelemetry);
            rules.allow("conditional create telemetry").createConditional().resourcesOfType("Observation");
        }
        if (update) {
            rules.allow("update own centre's telemetry")
                    .write()
                    .resourcesOfType("Observation")
                    .withAnyId()
                    .withTester(tester(request ->
                            request.operation != RestOperationTypeEnum.CREATE && ownTelemetry.matches(request)));
            rules.allow("conditional update telemetry").updateConditional().resourcesOfType("Observation");
        }
        if (create || update) {
            rules.allow("telemetry bundles").transaction().withAnyOperation().andApplyNormalRules();
        }
    }

    private void registry(RuleBuilder rules, SmartScopes scopes, boolean identifiable) {
        for (String type : allTypesExceptAudit()) {
            if (type.equals("Patient") && !identifiable) {
                continue;
            }
            if (scopes.allowsAny(type, Set.of(READ, SEARCH))) {
                rules.allow("registry reads " + type)
                        .read()
                        .resourcesOfType(type)
                        .withAnyId();
            }
        }
        if (scopes.allows("*", READ)) {
            // without the identifiable-data grant the export is pseudonymised (registry feature, RegistryAccess)
            rules.allow("bulk export").bulkExport().any();
            rules.allow("$export").operation().named("$export").onServer().andAllowAllResponses();
            rules.allow("$export")
                    .operation()
                    .named("$export")
                    .onType(Patient.class)
                    .andAllowAllResponses();
            rules.allow("$export").operation().named("$export").onAnyInstance().andAllowAllResponses();
            rules.allow("bulk export status")
                    .operation()
                    .named("$export-poll-status")
                    .onServer()
                    .andAllowAllResponses();
        }
        if (scopes.allows("Patient", READ) && identifiable) {
            rules.allow("$everything")
                    .operation()
                    .named("$everything")
                    .onInstancesOfType(Patient.class)
                    .andRequireExplicitResponseAuthorization();
        }
        if (scopes.allows("Procedure", READ)) {
            // pseudonymised unless identifiable: the registry feature asks RegistryAccess (SecurityConfig's bean)
            rules.allow(REGISTRY_CASE)
                    .operation()
                    .named(REGISTRY_CASE)
                    .onInstancesOfType(Procedure.class)
                    .andAllowAllResponses();
        }
        if (scopes.allows("Observation", READ)) {
            rules.allow(TELEMETRY_SERIES)
                    .operation()
                    .named(TELEMETRY_SERIES)
                    .onInstancesOfType(Device.class)
                    .andAllowAllResponses();
        }
        if (scopes.allows("Task", READ)) {
            // the coordinator who works the completeness worklist may bring it up to date; the server writes the Tasks
            rules.allow(WORKLIST_REFRESH)
                    .operation()
                    .named(WORKLIST_REFRESH)
                    .onType(Task.class)
                    .andAllowAllResponses();
        }
        outcomeAudit(rules, scopes);
        terminologyOperations(rules, scopes);
    }

    private void admin(RuleBuilder rules, SmartScopes scopes) {
        for (String type : ADMIN_TYPES) {
            if (scopes.allowsAny(type, Set.of(READ, SEARCH))) {
                rules.allow("admin reads " + type).read().resourcesOfType(type).withAnyId();
            }
            if (scopes.allows(type, CREATE) && scopes.allows(type, UPDATE)) {
                rules.allow("admin writes " + type)
                        .write()
                        .resourcesOfType(type)
                        .withAnyId();
                rules.allow("admin conditional create " + type)
                        .createConditional()
                        .resourcesOfType(type);
                rules.allow("admin conditional update " + type)
                        .updateConditional()
                        .resourcesOfType(type);
            } else if (scopes.allows(type, CREATE)) {
                rules.allow("admin creates " + type)
                        .create()
                        .resourcesOfType(type)
                        .withAnyId();
                rules.allow("admin conditional create " + type)
                        .createConditional()
                        .resourcesOfType(type);
            }
            if (scopes.allows(type, DELETE)) {
                rules.allow("admin deletes " + type)
                        .delete()
                        .resourcesOfType(type)
                        .withAnyId();
            }
        }
        terminologyOperations(rules, scopes);
        // the case table's upkeep: counts and insertion ids only, no clinical values
        rules.allow(CaseTable.REBUILD_OPERATION)
                .operation()
                .named(CaseTable.REBUILD_OPERATION)
                .onServer()
                .andAllowAllResponses();
        rules.allow(CaseTable.CHECK_OPERATION)
                .operation()
                .named(CaseTable.CHECK_OPERATION)
                .onServer()
                .andAllowAllResponses();
        rules.allow("admin bundles").transaction().withAnyOperation().andApplyNormalRules();
    }

    private void governance(RuleBuilder rules, SmartScopes scopes) {
        if (scopes.allowsAny("AuditEvent", Set.of(READ, SEARCH))) {
            rules.allow("governance reads the access log")
                    .read()
                    .resourcesOfType("AuditEvent")
                    .withAnyId();
        }
        outcomeAudit(rules, scopes);
    }

    /**
     * The outcome audit across centres: aggregate MeasureReports, and the dataset of one row per insertion, which the
     * outcomes feature pseudonymises for every caller {@code TokenRegistryAccess} says may not see identifiable data.
     */
    private static void outcomeAudit(RuleBuilder rules, SmartScopes scopes) {
        if (scopes.allows("MeasureReport", READ)) {
            for (String operation : AUDIT_OPERATIONS) {
                rules.allow(operation)
                        .operation()
                        .named(operation)
                        .onType(Measure.class)
                        .andAllowAllResponses();
            }
        }
    }

    /**
     * Whether an outcome audit request names exactly one centre, and it is {@code centre} ({@code centre=123} or
     * {@code centre=Organization/123}, as a query parameter or in a Parameters body). A centre-bound client's GET
     * without the parameter has it set to its own centre by {@link AccessGuardInterceptor} before this is asked.
     */
    static boolean auditsOnly(RequestDetails request, String centre) {
        List<String> named = new ArrayList<>();
        String[] query =
                request.getParameters() == null ? null : request.getParameters().get(AUDIT_CENTRE);
        if (query != null) {
            named.addAll(List.of(query));
        }
        if (request.getResource() instanceof Parameters body) {
            for (Parameters.ParametersParameterComponent parameter : body.getParameter()) {
                if (AUDIT_CENTRE.equals(parameter.getName())) {
                    named.add(
                            parameter.getValue() instanceof Reference reference
                                    ? reference.getReference()
                                    : parameter.getValue() == null
                                            ? null
                                            : parameter.getValue().primitiveValue());
                }
            }
        }
        return named.size() == 1
                && named.get(0) != null
                && (named.get(0).equals(centre) || named.get(0).equals("Organization/" + centre));
    }

    private void readConformance(RuleBuilder rules, SmartScopes scopes) {
        for (String type : CONFORMANCE_TYPES) {
            if (scopes.allowsAny(type, Set.of(READ, SEARCH))) {
                rules.allow("read " + type).read().resourcesOfType(type).withAnyId();
            }
        }
        terminologyOperations(rules, scopes);
    }

    private static void terminologyOperations(IAuthRuleBuilder rules, SmartScopes scopes) {
        Map<String, Class<? extends IBaseResource>> classes =
                Map.of("ValueSet", ValueSet.class, "CodeSystem", CodeSystem.class, "ConceptMap", ConceptMap.class);
        TERMINOLOGY_OPERATIONS.forEach((type, operations) -> {
            if (scopes.allows(type, READ)) {
                for (String operation : operations) {
                    rules.allow(operation)
                            .operation()
                            .named(operation)
                            .onType(classes.get(type))
                            .andAllowAllResponses();
                    rules.allow(operation)
                            .operation()
                            .named(operation)
                            .onAnyInstance()
                            .andAllowAllResponses();
                }
            }
        });
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }

    private Set<String> allTypesExceptAudit() {
        Set<String> types = new TreeSet<>(patientCompartmentTypes);
        types.addAll(List.of("Organization", "Practitioner", "PractitionerRole", "Location", "Medication", "Binary"));
        types.addAll(CONFORMANCE_TYPES);
        types.addAll(CENTRE_OWNED_TYPES);
        return types;
    }

    private IAuthRuleTester ownCentre(String centre) {
        // A null resource means HAPI asks before the resource is known; it asks again with the resource (for writes at
        // the storage hooks, for reads on the way out), where the answer counts.
        return tester(request -> request.resource == null || directory.belongsTo(request.resource, centre));
    }

    /**
     * A tester for an instance-level operation: the instance named in the request must pass {@code test}. Asked again
     * for the operation's answer (no instance id then), which the incoming decision already covers.
     */
    private static IAuthRuleTester storedInstance(Predicate<IIdType> test) {
        return new IAuthRuleTester() {
            @Override
            public boolean matches(RuleTestRequest request) {
                return request.resourceId != null && request.resourceId.hasIdPart() && test.test(request.resourceId);
            }

            @Override
            public boolean matchesOutput(RuleTestRequest request) {
                return true;
            }
        };
    }

    /** A tester asked the same question for the incoming resource and for the resource going out. */
    private static IAuthRuleTester tester(Predicate<IAuthRuleTester.RuleTestRequest> test) {
        return new IAuthRuleTester() {
            @Override
            public boolean matches(RuleTestRequest request) {
                return test.test(request);
            }

            @Override
            public boolean matchesOutput(RuleTestRequest request) {
                return test.test(request);
            }
        };
    }

    static boolean isTelemetry(Observation observation) {
        for (CodeableConcept category : observation.getCategory()) {
            if (category.hasCoding(GuideCodes.OBSERVATION_CATEGORY_SYSTEM, GuideCodes.TELEMETRY_CATEGORY_CODE)) {
                return true;
            }
        }
        return false;
    }
}
