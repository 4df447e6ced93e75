package org.mcsfhir.server.security;

import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import java.time.Clock;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * The AuditEvent of one telemetry write that arrived outside {@code /fhir} (the NDJSON gateway, the HL7 v2 MLLP
 * listener), shaped like the BALP ones: client and centre as agents, the Device as entity, the outcome. Both gateways
 * record through this one class so governance reads one kind of event, whichever way the samples came.
 */
public class GatewayAudit {

    private final IBalpAuditEventSink sink;
    private final boolean enabled;
    private final Clock clock;

    GatewayAudit(IBalpAuditEventSink sink, boolean enabled, Clock clock) {
        this.sink = sink;
        this.enabled = enabled;
        this.clock = clock;
    }

    /**
     * Records (asynchronously) one telemetry write.
     *
     * @param client who sent it (for MLLP: the sending facility, its centre from configuration)
     * @param address the peer's network address
     * @param deviceId the Device's logical id, or null when no Device was identified
     * @param refused true if nothing was stored because the sender may not write (or the device is not its centre's)
     * @param description what happened, e.g. {@code telemetry gateway: HTTP 403}
     */
    public void record(ClientIdentity client, String address, String deviceId, boolean refused, String description) {
        if (enabled) {
            sink.recordAuditEvent(event(
                    Date.from(clock.instant()),
                    client,
                    address,
                    deviceId,
                    refused ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._0,
                    description));
        }
    }

    static AuditEvent event(
            Date recorded,
            ClientIdentity client,
            String address,
            String deviceId,
            AuditEvent.AuditEventOutcome outcome,
            String description) {
        AuditEvent event = new AuditEvent();
        event.setType(
                new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", "create", "create"));
        event.setAction(AuditEvent.AuditEventAction.C);
        event.setRecorded(recorded);
        event.setOutcome(outcome);
        event.setOutcomeDesc(description);
        event.getSource().setObserver(new Reference().setDisplay("mcs-fhir"));
        event.addAgent()
                .setType(new CodeableConcept(
                        new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application")))
                .setWho(AuditContext.clientReference(client))
                .setRequestor(false)
                .getNetwork()
                .setAddress(address);
        client.centre()
                .ifPresent(centre -> event.addAgent()
                        .setType(new CodeableConcept(new Coding(
                                "http://terminology.hl7.org/CodeSystem/extra-security-role-type",
                                "humanuser",
                                "human user")))
                        .setWho(new Reference("Organization/" + centre).setDisplay("implanting centre " + centre))
                        .setRequestor(true));
        if (deviceId != null) {
            event.addEntity().setWhat(new Reference("Device/" + deviceId));
        }
        return event;
    }
}
