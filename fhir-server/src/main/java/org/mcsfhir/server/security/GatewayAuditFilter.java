package org.mcsfhir.server.security;

import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * BALP covers {@code /fhir}; the telemetry gateway is a plain HTTP endpoint beside it. This records one AuditEvent per
 * gateway request, accepted or refused, shaped like the BALP ones (client and centre as agents, the Device as
 * entity, outcome from the status), so governance sees who wrote telemetry for which pump, and who tried to write
 * for another centre's pump. Requests refused before authentication (401) are not client accesses and are not
 * recorded.
 */
class GatewayAuditFilter extends OncePerRequestFilter {

    private static final Pattern DEVICE = Pattern.compile("/telemetry/v1/devices/([^/]+)/samples");

    private final IBalpAuditEventSink sink;

    GatewayAuditFilter(IBalpAuditEventSink sink) {
        this.sink = sink;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            Object identity = request.getAttribute(ClientIdentity.REQUEST_ATTRIBUTE);
            if (identity instanceof ClientIdentity client && response.getStatus() != 401) {
                sink.recordAuditEvent(event(request, response.getStatus(), client));
            }
        }
    }

    private static AuditEvent event(HttpServletRequest request, int status, ClientIdentity client) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", "create", "create"));
        event.setAction(AuditEvent.AuditEventAction.C);
        event.setRecorded(new Date());
        event.setOutcome(status < 400 ? AuditEvent.AuditEventOutcome._0
                : status < 500 ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._8);
        event.setOutcomeDesc("telemetry gateway: HTTP " + status);
        event.getSource().setObserver(new Reference().setDisplay("mcs-fhir"));
        event.addAgent()
                .setType(new CodeableConcept(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application")))
                .setWho(AuditContext.clientReference(client))
                .setRequestor(false)
                .getNetwork().setAddress(request.getRemoteAddr());
        client.centre().ifPresent(centre -> event.addAgent()
                .setType(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user")))
                .setWho(new Reference("Organization/" + centre).setDisplay("implanting centre " + centre))
                .setRequestor(true));
        Matcher device = DEVICE.matcher(request.getRequestURI());
        if (device.find()) {
            event.addEntity().setWhat(new Reference("Device/" + device.group(1)));
        }
        return event;
    }
}
