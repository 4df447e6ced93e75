package org.mcsfhir.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.util.UrlUtil;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Refuses, before anything runs, the requests of a centre-bound client that search narrowing cannot confine to its
 * centre: searches across all types ({@code GET /fhir?...}), type- and system-level history, GraphQL, and searches
 * of types outside the Patient compartment (their totals would count other centres' data). The same holds for the
 * entries of a batch or transaction. Instance-level reads and history stay with {@link CentreAuthorizationInterceptor}.
 * A centre-bound client's {@code Measure/$audit} without a {@code centre} is confined to its own centre; its searches
 * of centre-owned types (Task) are narrowed to the Tasks its centre owns, and conditional writes of them refused.
 * A registry without the identifiable-data grant may not search through chains (see below).
 */
@Interceptor
class AccessGuardInterceptor {

    private static final Set<RestOperationTypeEnum> NOT_NARROWABLE = EnumSet.of(
            RestOperationTypeEnum.SEARCH_SYSTEM,
            RestOperationTypeEnum.HISTORY_SYSTEM,
            RestOperationTypeEnum.HISTORY_TYPE,
            RestOperationTypeEnum.GRAPHQL_REQUEST);

    private static final Set<RestOperationTypeEnum> CONDITIONAL_WRITES = EnumSet.of(
            RestOperationTypeEnum.CREATE,
            RestOperationTypeEnum.UPDATE,
            RestOperationTypeEnum.DELETE,
            RestOperationTypeEnum.PATCH);

    /** What a centre-bound client may GET inside a Bundle: Type/id[/_history[/vid]], Type?query, Patient/id/$everything. */
    private static final Pattern INSTANCE =
            Pattern.compile("^[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}(/_history(/[A-Za-z0-9\\-.]{1,64})?)?$");

    private static final Pattern TYPE_SEARCH = Pattern.compile("^([A-Z][A-Za-z]+)(/_search)?(\\?.*)?$");

    private final Set<String> searchableTypes;

    private final Set<String> everythingTypes;

    AccessGuardInterceptor(AccessRules accessRules) {
        this.everythingTypes = new TreeSet<>(accessRules.patientCompartmentTypes());
        this.everythingTypes.addAll(
                Set.of("Organization", "Practitioner", "PractitionerRole", "Location", "Medication"));
        this.searchableTypes = new HashSet<>(accessRules.patientCompartmentTypes());
        this.searchableTypes.addAll(AccessRules.CONFORMANCE_TYPES);
        this.searchableTypes.addAll(AccessRules.OPERATOR_TYPES);
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = -100)
    public void guard(RequestDetails request) {
        ClientIdentity client = ClientIdentity.of(request);
        if (!client.open() && "$everything".equals(request.getOperation())) {
            withoutAuditEvents(request);
        }
        if (!client.open() && !seesPatients(client)) {
            refuseSearchesThroughOtherResources(request.getParameters().keySet(), false);
        }
        if (!client.centreBound()) {
            return;
        }
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == null || NOT_NARROWABLE.contains(operation)) {
            throw CentreAuthorizationInterceptor.forbidden();
        }
        if (CONDITIONAL_WRITES.contains(operation)
                && request.getResourceName() != null
                && AccessRules.CENTRE_OWNED_TYPES.contains(request.getResourceName())
                && request.getConditionalUrl(operation) != null) {
            // search narrowing cannot confine the match to the centre: it could find (and return) another centre's
            throw CentreAuthorizationInterceptor.forbidden();
        }
        if (operation == RestOperationTypeEnum.SEARCH_TYPE
                && AccessRules.CENTRE_OWNED_TYPES.contains(request.getResourceName())) {
            narrowToOwner(request, client.centre().orElseThrow());
            return;
        }
        if (operation == RestOperationTypeEnum.SEARCH_TYPE && !searchableTypes.contains(request.getResourceName())) {
            throw CentreAuthorizationInterceptor.forbidden();
        }
        if (operation == RestOperationTypeEnum.SEARCH_TYPE
                && AccessRules.OPERATOR_TYPES.contains(request.getResourceName())) {
            // shared registers are not narrowed: no way through them into the patients of other centres
            refuseSearchesThroughOtherResources(request.getParameters().keySet(), true);
        }
        if (request.getOperation() != null && AccessRules.AUDIT_OPERATIONS.contains(request.getOperation())) {
            auditOwnCentreByDefault(request, client.centre().orElseThrow());
        }
    }

    /**
     * A search of a centre-owned type (Task) is confined to {@code owner=Organization/<centre>}: a search naming
     * another owner is refused, one naming none gets the own centre. Not offered inside batches (refused there).
     */
    private static void narrowToOwner(RequestDetails request, String centre) {
        String own = "Organization/" + centre;
        Map<String, String[]> parameters = new HashMap<>(request.getParameters());
        for (String name : parameters.keySet()) {
            if (name.equals("owner") || name.startsWith("owner:") || name.startsWith("owner.")) {
                for (String value : parameters.get(name)) {
                    if (!name.equals("owner") || !(value.equals(own) || value.equals(centre))) {
                        throw CentreAuthorizationInterceptor.forbidden();
                    }
                }
            }
        }
        parameters.put("owner", new String[] {own});
        request.setParameters(parameters);
    }

    /**
     * {@code Measure/$audit} (and {@code $audit-dataset}) without {@code centre} means "every centre the caller may
     * see"; for a centre-bound client that is its own centre, so the parameter is set to it (AccessRules then checks
     * that a given one is its own).
     */
    private static void auditOwnCentreByDefault(RequestDetails request, String centre) {
        if (request.getRequestType() != RequestTypeEnum.GET
                || request.getParameters().containsKey(AccessRules.AUDIT_CENTRE)) {
            return;
        }
        Map<String, String[]> parameters = new HashMap<>(request.getParameters());
        parameters.put(AccessRules.AUDIT_CENTRE, new String[] {"Organization/" + centre});
        request.setParameters(parameters);
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -100)
    public void guardBundleEntries(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.TRANSACTION && operation != RestOperationTypeEnum.BATCH) {
            return;
        }
        ClientIdentity client = ClientIdentity.of(request);
        if (client.open() || !(request.getResource() instanceof Bundle bundle)) {
            return;
        }
        if (!seesPatients(client)) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                refuseSearchesThroughOtherResources(
                        queryParameterNames(entry.getRequest().getUrl()), false);
            }
        }
        if (!client.centreBound()) {
            return;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryRequestComponent entryRequest = entry.getRequest();
            if (conditionalWriteOfCentreOwnedType(entry)) {
                throw CentreAuthorizationInterceptor.forbidden();
            }
            if (entryRequest.getMethod() == Bundle.HTTPVerb.GET || entryRequest.getMethod() == Bundle.HTTPVerb.HEAD) {
                String url = entryRequest.getUrl() == null
                        ? ""
                        : entryRequest.getUrl().trim();
                if (!allowedRead(url)) {
                    throw CentreAuthorizationInterceptor.forbidden();
                }
                if (AccessRules.OPERATOR_TYPES.contains(url.replaceFirst("[/?].*$", ""))) {
                    refuseSearchesThroughOtherResources(queryParameterNames(url), true);
                }
            }
        }
    }

    /**
     * AuditEvents are in the Patient compartment (they name the patient), so {@code $everything} would return them and
     * be refused as a whole for everyone but governance. Restricting {@code _type} to the other types keeps the audit
     * trail out and the operation usable.
     */
    private void withoutAuditEvents(RequestDetails request) {
        Map<String, String[]> parameters = new HashMap<>(request.getParameters());
        Set<String> types = new TreeSet<>(everythingTypes);
        String[] requested = parameters.get("_type");
        if (requested != null) {
            Set<String> asked = new HashSet<>();
            for (String value : requested) {
                asked.addAll(List.of(value.split(",")));
            }
            types.retainAll(asked);
        }
        parameters.put("_type", new String[] {types.isEmpty() ? "Patient" : String.join(",", types)});
        request.setParameters(parameters);
    }

    /** A conditional create (ifNoneExist), update, patch or delete ({@code Type?query}) of a Task inside a Bundle. */
    private static boolean conditionalWriteOfCentreOwnedType(Bundle.BundleEntryComponent entry) {
        Bundle.BundleEntryRequestComponent entryRequest = entry.getRequest();
        String url = entryRequest.getUrl() == null ? "" : entryRequest.getUrl().trim();
        String type = entry.hasResource() ? entry.getResource().fhirType() : url.replaceFirst("[/?].*$", "");
        if (!AccessRules.CENTRE_OWNED_TYPES.contains(type)
                && !AccessRules.CENTRE_OWNED_TYPES.contains(url.replaceFirst("[/?].*$", ""))) {
            return false;
        }
        return switch (entryRequest.getMethod() == null ? Bundle.HTTPVerb.NULL : entryRequest.getMethod()) {
            case POST -> entryRequest.hasIfNoneExist();
            case PUT, DELETE, PATCH -> url.contains("?");
            default -> false;
        };
    }

    private boolean allowedRead(String url) {
        if (INSTANCE.matcher(url).matches()) {
            return true;
        }
        if (url.matches("^Patient/[A-Za-z0-9\\-.]{1,64}/\\$everything(\\?.*)?$")) {
            return true;
        }
        var search = TYPE_SEARCH.matcher(url);
        return search.matches() && searchableTypes.contains(search.group(1));
    }

    /**
     * Kinds that may not read patients: governance (the access trail), admins (registers and the guide), a registry
     * without the identifiable-data grant (pseudonymised data), gateways. An EHR sees its own patients, a registry
     * with the grant every patient.
     */
    private static boolean seesPatients(ClientIdentity client) {
        return client.is(ClientKind.EHR) || (client.is(ClientKind.REGISTRY) && client.identifiableDataGrant());
    }

    /**
     * A chained parameter ({@code patient.identifier=}, {@code subject:Patient.family=}, {@code entity:Patient.birthdate=},
     * at any depth) or a reverse chain ({@code _has:...}) finds records by the data of other resources: a patient's
     * name, NHS number or birth date would tell a client that may not read patients who is who, and a search of a
     * shared register would reach into other centres (there {@code _revinclude} too, as nothing narrows it). Refused
     * (403) wherever the parameter comes from: the query, a form-encoded {@code _search} body (HAPI merges both) or a
     * batch entry.
     */
    private static void refuseSearchesThroughOtherResources(Collection<String> parameterNames, boolean revinclude) {
        for (String name : parameterNames) {
            if (name.contains(".") || name.startsWith("_has") || (revinclude && name.startsWith("_revinclude"))) {
                throw CentreAuthorizationInterceptor.forbidden();
            }
        }
    }

    private static Collection<String> queryParameterNames(String url) {
        if (url == null || !url.contains("?")) {
            return List.of();
        }
        return UrlUtil.parseQueryString(url.substring(url.indexOf('?') + 1)).keySet();
    }
}
