package org.mcsfhir.server.security;

import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.mcsfhir.server.errors.ServerFaults;
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
    private final Clock clock;

    GatewayAuditFilter(IBalpAuditEventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Throwable failure = null;
        try {
            chain.doFilter(request, response);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            // a failure's status is set later, on the error page: until then an uncommitted response still says 200
            int status =
                    failure == null || response.isCommitted() ? response.getStatus() : ServerFaults.status(failure);
            Object identity = request.getAttribute(ClientIdentity.REQUEST_ATTRIBUTE);
            if (identity instanceof ClientIdentity client && status != 401) {
                sink.recordAuditEvent(event(request, status, client));
            }
        }
    }

    private AuditEvent event(HttpServletRequest request, int status, ClientIdentity client) {
        Matcher device = DEVICE.matcher(request.getRequestURI());
        return GatewayAudit.event(
                Date.from(clock.instant()),
                client,
                request.getRemoteAddr(),
                device.find() ? device.group(1) : null,
                status < 400
                        ? AuditEvent.AuditEventOutcome._0
                        : status < 500 ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._8,
                "telemetry gateway: HTTP " + status);
    }
}
