package org.mcsfhir.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseParameters;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Every resource an operation returns to a centre-bound client passes the same check as a read of it: HAPI's
 * {@code AuthorizationInterceptor} treats a collection, document or message Bundle as one opaque resource and an
 * operation rule with "allow all responses" skips the check altogether, so without this an operation could hand out
 * what a read would refuse ({@code $registry-case} with another centre's pump, consent or complication). Applies to
 * every operation, including ones added later, with the caller's own read rules ({@link AccessRules}); a refusal is
 * the usual 403 {@code MCS-0403} and nothing of the answer is sent.
 */
@Interceptor
class OperationOutputGuard {

    private static final Set<RestOperationTypeEnum> OPERATIONS = EnumSet.of(
            RestOperationTypeEnum.EXTENDED_OPERATION_SERVER,
            RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE);

    private final FhirContext fhirContext;
    private final CentreAuthorizationInterceptor authorization;

    OperationOutputGuard(FhirContext fhirContext, CentreAuthorizationInterceptor authorization) {
        this.fhirContext = fhirContext;
        this.authorization = authorization;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void checkOutput(RequestDetails request, IBaseResource response) {
        if (response == null
                || !OPERATIONS.contains(request.getRestOperationType())
                || !ClientIdentity.of(request).centreBound()) {
            return;
        }
        Deque<IBaseResource> containers = new ArrayDeque<>(List.of(response));
        Set<IBaseResource> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!containers.isEmpty()) {
            IBaseResource container = containers.pop();
            for (IBaseResource resource :
                    fhirContext.newTerser().getAllPopulatedChildElementsOfType(container, IBaseResource.class)) {
                if (resource == container || !seen.add(resource) || resource instanceof IBaseOperationOutcome) {
                    continue; // the container itself, and messages about the request
                }
                if (resource instanceof IBaseBundle || resource instanceof IBaseParameters) {
                    containers.push(resource); // HAPI's walk stops at a nested container: open it too
                    continue;
                }
                var verdict = authorization.applyRulesAndReturnDecision(
                        RestOperationTypeEnum.READ, request, null, null, resource, Pointcut.SERVER_OUTGOING_RESPONSE);
                if (verdict.getDecision() != PolicyEnum.ALLOW) {
                    throw CentreAuthorizationInterceptor.forbidden();
                }
            }
        }
    }
}
