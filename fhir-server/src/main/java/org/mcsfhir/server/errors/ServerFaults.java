package org.mcsfhir.server.errors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server fault: the client learns only that it happened (or that the database is unavailable) and a reference; the log gets the reference with
 * the stack trace at ERROR. The reference is the request's {@value #HEADER}, the id HAPI already gives every /fhir
 * response (the caller's own when it sent a well-formed one, e.g. from a reverse proxy, else a random one), so one id
 * follows the request through proxy logs, this server's log and the client's report. Other paths (Spring, Tomcat)
 * take the caller's id the same way or make a random UUID.
 */
public final class ServerFaults {

    public static final String HEADER = "X-Request-ID";

    private static final Logger log = LoggerFactory.getLogger(ServerFaults.class);
    private static final String DATABASE_UNAVAILABLE_CODE = "MCS-0530";
    static final String DATABASE_UNAVAILABLE = DATABASE_UNAVAILABLE_CODE + ": the database is unavailable; retry after "
            + DatabaseOutage.RETRY_AFTER_SECONDS + " s";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ServerFaults() {}

    /** The answer to a fault: its status, OperationOutcome issue type and diagnostics for the client. */
    public record Answer(int status, String issueType, String diagnostics) {}

    /**
     * Logs the fault, sets the headers and returns the answer for the client: 503 with Retry-After when the database
     * could not be reached ({@link DatabaseOutage}; logged in one line, the operator needs no stack trace for it),
     * else 500. {@code requestId}: the id already assigned to the request (HAPI's), or null.
     */
    public static Answer report(
            HttpServletRequest request, HttpServletResponse response, String requestId, Throwable fault) {
        String reference =
                requestId != null && WELL_FORMED.matcher(requestId).matches() ? requestId : reference(request);
        response.setHeader(HEADER, reference);
        if (status(fault) == 503) {
            log.error(
                    "{} reference {}: {} {} failed: the database is unavailable: {}",
                    DATABASE_UNAVAILABLE_CODE,
                    reference,
                    request.getMethod(),
                    path(request),
                    DatabaseOutage.rootMessage(fault));
            response.setHeader("Retry-After", Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
            return new Answer(503, "transient", DATABASE_UNAVAILABLE + "; reference " + reference);
        }
        log.error("MCS-0500 reference {}: {} {} failed", reference, request.getMethod(), path(request), fault);
        return new Answer(500, "exception", ErrorCodes.INTERNAL + "; reference " + reference);
    }

    /** The status a fault is answered with: 503 when the database could not be reached, else 500. */
    public static int status(Throwable fault) {
        return DatabaseOutage.causedBy(fault) ? 503 : 500;
    }

    /** The path the client asked for, also when the fault is reported from Spring's error page ({@code /error}). */
    private static String path(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String original
                ? original
                : request.getRequestURI();
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
