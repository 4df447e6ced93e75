package org.mcsfhir.server.security;

import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * HAPI's {@link AuthorizationInterceptor} with rules built per request from the caller's token ({@link AccessRules}):
 * default deny, so an operation no rule names is refused. A refusal is a 403 with an OperationOutcome carrying
 * {@code MCS-0403} and a {@code WWW-Authenticate} header (RFC 6750 {@code insufficient_scope}); the message names no
 * rule, resource or centre.
 */
@Interceptor
class CentreAuthorizationInterceptor extends AuthorizationInterceptor {

    private static final Set<RestOperationTypeEnum> WRITES =
            EnumSet.of(RestOperationTypeEnum.CREATE, RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.DELETE);

    static final String FORBIDDEN = "MCS-0403: access denied: this client is not allowed to do this";

    private final AccessRules accessRules;
    private final CentrePatients centrePatients;

    CentreAuthorizationInterceptor(AccessRules accessRules, CentrePatients centrePatients) {
        super(PolicyEnum.DENY);
        this.accessRules = accessRules;
        this.centrePatients = centrePatients;
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        ClientIdentity client = ClientIdentity.of(request);
        // A plain write is decided by the testers on the resource itself; only reads need the centre's patient list,
        // so a write does not pay for looking it up.
        if (WRITES.contains(request.getRestOperationType())) {
            return accessRules.rulesFor(client, List::of);
        }
        return accessRules.rulesFor(
                client, () -> centrePatients.of(request, client.centre().orElseThrow()));
    }

    @Override
    protected void handleDeny(RequestDetails request, Verdict verdict) {
        throw forbidden();
    }

    static ForbiddenOperationException forbidden() {
        ForbiddenOperationException forbidden = new ForbiddenOperationException(FORBIDDEN);
        forbidden.addResponseHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
        return forbidden;
    }

    /** The same refusal, naming where in the client's own request it was decided (never what was found there). */
    static ForbiddenOperationException forbidden(String expression) {
        ForbiddenOperationException forbidden = forbidden();
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.FORBIDDEN)
                .setDiagnostics(FORBIDDEN)
                .addExpression(expression);
        forbidden.setOperationOutcome(outcome);
        return forbidden;
    }
}
