package org.mcsfhir.server.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A genuine server fault: the client learns only that it happened and a reference; the log gets the reference with
 * the stack trace at ERROR. The reference is the request's {@value #HEADER}, the id HAPI already gives every /fhir
 * response (the caller's own when it sent a well-formed one, e.g. from a reverse proxy, else a random one), so one id
 * follows the request through proxy logs, this server's log and the client's report. Other paths (Spring, Tomcat)
 * take the caller's id the same way or make a random UUID.
 */
public final class ServerFaults {

    public static final String HEADER = "X-Request-ID";

    private static final Logger log = LoggerFactory.getLogger(ServerFaults.class);
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ServerFaults() {}

    /**
     * Logs the fault, sets the header and returns the diagnostics for the client. {@code requestId}: the id already
     * assigned to the request (HAPI's), or null.
     */
    public static String report(
            HttpServletRequest request, HttpServletResponse response, String requestId, Throwable fault) {
        String reference =
                requestId != null && WELL_FORMED.matcher(requestId).matches() ? requestId : reference(request);
        log.error(
                "MCS-0500 reference {}: {} {} failed", reference, request.getMethod(), request.getRequestURI(), fault);
        response.setHeader(HEADER, reference);
        return ErrorCodes.INTERNAL + "; reference " + reference;
    }

    /** The caller's id when well-formed, else a new one. */
    private static String reference(HttpServletRequest request) {
        String id = request.getHeader(HEADER);
        if (id == null || !WELL_FORMED.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        return id;
    }
}
