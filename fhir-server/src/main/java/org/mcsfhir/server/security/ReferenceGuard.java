package org.mcsfhir.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * Keeps every reference a centre-bound client writes inside its centre. It works on the storage layer: HAPI calls
 * these hooks for every create and update whatever the way in (REST, transaction and batch entries, conditional
 * writes, PATCH), so one check covers them all. References are found by walking the resource (HAPI's terser: every
 * Reference at any path, in extensions and contained resources too), so a new resource type or path is covered with
 * no code change. A reference to a shared resource ({@link AccessRules#SHARED_TYPES}: the registers of centres and
 * operators, places, medicines, conformance resources) is allowed; any other must name a stored resource of the
 * writer's centre ({@link CentreDirectory#belongsTo}), else 403 {@code MCS-0403}, whether the target is another
 * centre's or does not exist (so existence is not revealed).
 *
 * <p>Checked twice: before storage, before HAPI resolves references (its "not found" would tell a missing target
 * from a foreign one), and before commit, which HAPI defers to the end of a transaction, when {@code urn:uuid:} and
 * conditional references have become ids. A per-request memo makes the second pass map lookups. Conditional
 * references to clinical resources ({@code Patient?identifier=...}) are refused outright from centre-bound clients:
 * HAPI resolves them without search narrowing, so whether one matched would tell whether another centre holds such
 * a record. Writes of the server itself (system requests) and of clients not bound to a centre are not checked here.
 */
@Interceptor
class ReferenceGuard {

    private static final String STATE = ReferenceGuard.class.getName();
    private static final String MEMO = "memo";
    private static final String WRITTEN_IN_BUNDLE = "written-in-bundle";

    private final FhirContext fhirContext;
    private final CentreDirectory directory;

    ReferenceGuard(FhirContext fhirContext, CentreDirectory directory) {
        this.fhirContext = fhirContext;
        this.directory = directory;
    }

    /**
     * Before the request runs (and before HAPI's authorisation, order 0, which would refuse without saying why): the
     * body's conditional references; for a transaction or batch, those of every entry and the ids its PUT entries may
     * create.
     */
    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -90)
    public void incoming(RequestDetails request, RestOperationTypeEnum operation) {
        if (request.getResource() == null || !ClientIdentity.of(request).centreBound()) {
            return;
        }
        if (operation == RestOperationTypeEnum.CREATE || operation == RestOperationTypeEnum.UPDATE) {
            refuseConditionalReferences(request.getResource());
            return;
        }
        if ((operation != RestOperationTypeEnum.TRANSACTION && operation != RestOperationTypeEnum.BATCH)
                || !(request.getResource() instanceof Bundle bundle)) {
            return; // operations ($validate, $audit): nothing of their body is stored
        }
        Set<String> written = new HashSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource()) {
                refuseConditionalReferences(entry.getResource());
            }
            String url = entry.getRequest().getUrl();
            if (entry.getRequest().getMethod() == Bundle.HTTPVerb.PUT && url != null && !url.contains("?")) {
                written.add(new IdType(url).toUnqualifiedVersionless().getValue());
            }
        }
        attributes(request).put(WRITTEN_IN_BUNDLE, written);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -10)
    public void beforeCreate(RequestDetails request, IBaseResource resource, TransactionDetails transaction) {
        check(request, resource, transaction, false);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -10)
    public void beforeUpdate(
            RequestDetails request, IBaseResource previous, IBaseResource resource, TransactionDetails transaction) {
        check(request, resource, transaction, false);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void beforeCommitCreate(RequestDetails request, IBaseResource resource, TransactionDetails transaction) {
        check(request, resource, transaction, true);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void beforeCommitUpdate(
            RequestDetails request, IBaseResource previous, IBaseResource resource, TransactionDetails transaction) {
        check(request, resource, transaction, true);
    }

    private void check(
            RequestDetails request, IBaseResource resource, TransactionDetails transaction, boolean resolved) {
        ClientIdentity client = ClientIdentity.of(request);
        if (!client.centreBound() || resource == null) {
            return;
        }
        String centre = client.centre().orElseThrow();
        if (!resolved) {
            refuseConditionalReferences(resource);
        }
        for (ResourceReferenceInfo info : fhirContext.newTerser().getAllResourceReferences(resource)) {
            IIdType target = info.getResourceReference().getReferenceElement();
            String path = resource.fhirType() + "." + info.getName();
            String value = target.getValue();
            if (value == null || value.isBlank() || value.startsWith("#") || value.startsWith("urn:")) {
                continue; // contained, or a transaction's placeholder: resolved (and checked) before commit
            }
            String type = target.getResourceType();
            if (type == null
                    || !fhirContext.getResourceTypes().contains(type)
                    || AccessRules.SHARED_TYPES.contains(type)) {
                continue; // not a reference HAPI would store as such, or a shared resource
            }
            if (!target.hasIdPart() || !belongsTo(request, transaction, type, target.getIdPart(), centre, resolved)) {
                throw CentreAuthorizationInterceptor.forbidden(path);
            }
        }
    }

    /** Whether the stored (or, in this transaction, just written) target belongs to the centre; memoised per request. */
    private boolean belongsTo(
            RequestDetails request,
            TransactionDetails transaction,
            String type,
            String id,
            String centre,
            boolean resolved) {
        String key = type + "/" + id;
        Map<String, Boolean> memo = memo(request);
        Boolean known = memo.get(key);
        if (known != null) {
            return known;
        }
        IdType targetId = new IdType(type, id);
        Optional<IBaseResource> stored = directory.stored(targetId);
        if (stored.isEmpty() && transaction != null && transaction.getResolvedResource(targetId) != null) {
            stored = Optional.of(transaction.getResolvedResource(targetId));
        }
        if (stored.isEmpty()) {
            // a PUT of the same bundle may still create it: decided before commit, when it exists or HAPI has failed
            return !resolved && writtenInThisBundle(request).contains(key);
        }
        // the memo holds Patient/<id> answers too: the patients of several targets are read once
        boolean belongs = directory.belongsTo(stored.get(), centre, memo);
        memo.put(key, belongs);
        return belongs;
    }

    private void refuseConditionalReferences(IBaseResource resource) {
        for (ResourceReferenceInfo info : fhirContext.newTerser().getAllResourceReferences(resource)) {
            String value = info.getResourceReference().getReferenceElement().getValue();
            if (value == null || !value.contains("?")) {
                continue;
            }
            String type = value.substring(0, value.indexOf('?'));
            if (!AccessRules.SHARED_TYPES.contains(type)) {
                throw ClientErrors.invalid(
                        "MCS-0412: a conditional reference (" + type + "?...) to a clinical "
                                + "resource is not accepted from a client bound to a centre, because its match could not be "
                                + "kept inside the centre; refer to the resource by id, or by its urn:uuid in the same "
                                + "transaction",
                        resource.fhirType() + "." + info.getName());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Boolean> memo(RequestDetails request) {
        return (Map<String, Boolean>) attributes(request).computeIfAbsent(MEMO, key -> new HashMap<String, Boolean>());
    }

    @SuppressWarnings("unchecked")
    private static Set<String> writtenInThisBundle(RequestDetails request) {
        Object written = attributes(request).get(WRITTEN_IN_BUNDLE);
        return written instanceof Set<?> set ? (Set<String>) set : Set.of();
    }

    /**
     * Per-HTTP-request state: a transaction's entries are sub-requests with user data of their own, but share the
     * servlet request.
     */
    @SuppressWarnings("unchecked")
    private static Map<Object, Object> attributes(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
            HttpServletRequest http = servlet.getServletRequest();
            Map<Object, Object> state = (Map<Object, Object>) http.getAttribute(STATE);
            if (state == null) {
                state = new HashMap<>();
                http.setAttribute(STATE, state);
            }
            return state;
        }
        return (Map<Object, Object>) request.getUserData().computeIfAbsent(STATE, key -> new HashMap<Object, Object>());
    }
}
