package org.mcsfhir.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * BALP records what was done; this records what was refused. Every 401/403 raised inside {@code /fhir} (an
 * AuthorizationInterceptor denial, an access guard refusal) becomes an AuditEvent with outcome {@code 4} (minor
 * failure), the client and centre as agents, and the requested resource as entity, so governance can see attempts to
 * reach another centre's data.
 */
@Interceptor
class DeniedAccessAuditInterceptor {

    private final IBalpAuditEventSink sink;
    private final AuditContext context;
    private final Clock clock;

    DeniedAccessAuditInterceptor(IBalpAuditEventSink sink, AuditContext context, Clock clock) {
        this.sink = sink;
        this.context = context;
        this.clock = clock;
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean recordDenial(RequestDetails request, BaseServerResponseException exception) {
        int status = exception.getStatusCode();
        if (status == 401 || status == 403) {
            sink.recordAuditEvent(denial(request, status));
        }
        return true;
    }

    private AuditEvent denial(RequestDetails request, int status) {
        AuditEvent event = new AuditEvent();
        event.setType(
                new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation != null) {
            event.addSubtype(
                    new Coding("http://hl7.org/fhir/restful-interaction", operation.getCode(), operation.getCode()));
        }
        event.setAction(actionFor(operation));
        event.setRecorded(Date.from(clock.instant()));
        event.setOutcome(AuditEvent.AuditEventOutcome._4);
        event.setOutcomeDesc("access denied (HTTP " + status + ")");
        event.getSource().setObserver(new Reference().setDisplay("mcs-fhir"));
        event.addAgent()
                .setType(new CodeableConcept(
                        new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application")))
                .setWho(context.getAgentClientWho(request))
                .setRequestor(false)
                .getNetwork()
                .setAddress(context.getNetworkAddress(request));
        event.addAgent()
                .setType(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user")))
                .setWho(context.getAgentUserWho(request))
                .setRequestor(true);
        AuditEvent.AuditEventEntityComponent entity = event.addEntity();
        if (request.getId() != null && request.getId().hasIdPart()) {
            entity.setWhat(
                    new Reference(request.getId().toUnqualifiedVersionless().getValue()));
        }
        entity.setQuery(
                request.getCompleteUrl() == null
                        ? null
                        : request.getCompleteUrl().getBytes(StandardCharsets.UTF_8));
        return event;
    }

    private static AuditEvent.AuditEventAction actionFor(RestOperationTypeEnum operation) {
        if (operation == null) {
            return AuditEvent.AuditEventAction.E;
        }
        return switch (operation) {
            case CREATE -> AuditEvent.AuditEventAction.C;
            case UPDATE, PATCH -> AuditEvent.AuditEventAction.U;
            case DELETE -> AuditEvent.AuditEventAction.D;
            case READ, VREAD, SEARCH_TYPE, SEARCH_SYSTEM, HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM ->
                AuditEvent.AuditEventAction.R;
            default -> AuditEvent.AuditEventAction.E;
        };
    }
}
