package org.mcsfhir.server.errors;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way errors leave HAPI's RestfulServer: every exception becomes a status and an OperationOutcome whose first
 * diagnostics starts with an MCS code and shows no internals, in JSON, or XML when asked (never another format). An
 * exception that is not a deliberate HTTP error is a server fault: a generic 500 with a reference
 * ({@link ServerFaults}), except the few a client's input provokes inside HAPI (its parsers), which are 400.
 */
@Interceptor
public class ErrorOutcomeInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ErrorOutcomeInterceptor.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException classify(ServletRequestDetails requestDetails, Throwable thrown) {
        BaseServerResponseException http = httpError(thrown);
        if (http != null && http.getStatusCode() < 400) {
            return null; // not an error: 304 Not Modified travels this way too
        }
        if (http != null && http.getStatusCode() < 500) {
            // HAPI logged these at WARN itself; a client's mistake is not the server's problem, so only at DEBUG
            log.debug("{} {}: {}", http.getStatusCode(), requestDetails.getCompleteUrl(), http.getMessage());
            return withCleanOutcome(http);
        }
        if (http != null && !(http instanceof InternalErrorException)) {
            return withCleanOutcome(http); // a deliberate 5xx such as 501 or 503
        }
        String clientMistake = clientMistake(thrown);
        if (clientMistake != null) {
            return withCleanOutcome(new InvalidRequestException(clientMistake));
        }
        ServerFaults.Answer answer = ServerFaults.report(
                requestDetails.getServletRequest(),
                requestDetails.getServletResponse(),
                requestDetails.getRequestId(),
                thrown);
        BaseServerResponseException fault = answer.status() == 500
                ? new InternalErrorException(answer.diagnostics())
                : new UnclassifiedServerFailureException(answer.status(), answer.diagnostics());
        fault.setOperationOutcome(OperationOutcomes.error(answer.issueType(), answer.diagnostics()));
        return fault;
    }

    /**
     * HAPI writes the outcome in the format the request negotiated, which could be one this server does not speak
     * for errors (Turtle); pinning {@code _format} keeps it to XML when asked for and JSON otherwise. (Writing the
     * response here instead would make HAPI log every error as "exception handling threw an exception".)
     */
    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean pinFormat(RequestDetails requestDetails, HttpServletRequest request) {
        requestDetails.addParameter(
                Constants.PARAM_FORMAT,
                new String[] {OperationOutcomes.wantsXml(request) ? Constants.FORMAT_XML : Constants.FORMAT_JSON});
        return true;
    }

    private static BaseServerResponseException httpError(Throwable thrown) {
        if (thrown instanceof BaseServerResponseException http) {
            return http;
        }
        if (thrown instanceof DataFormatException) {
            return new InvalidRequestException(thrown.getMessage());
        }
        return null;
    }

    /**
     * Unexpected exceptions that only a client's input provokes: HAPI's parsers failing on a request body (they are
     * handed nothing else), and HAPI's query-string decoding failing on a stray {@code %} in a form-encoded body.
     */
    static String clientMistake(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                String type = frame.getClassName();
                if (type.startsWith("ca.uhn.fhir.parser.")
                        && frame.getMethodName().startsWith("doParse")) {
                    return "MCS-0400: the request body could not be parsed as a FHIR resource";
                }
                if (type.equals("ca.uhn.fhir.util.UrlUtil") && t instanceof IllegalArgumentException) {
                    return "MCS-0450: the request parameters are not correctly percent-encoded";
                }
            }
        }
        return null;
    }

    /** The exception with an outcome whose every diagnostics is clean and whose first starts with an MCS code. */
    private static BaseServerResponseException withCleanOutcome(BaseServerResponseException exception) {
        int status = exception.getStatusCode();
        OperationOutcome outcome =
                exception.getOperationOutcome() instanceof OperationOutcome given ? given : new OperationOutcome();
        if (!outcome.hasIssue()) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(exception.getMessage());
            if (exception.getAdditionalMessages() != null) {
                exception
                        .getAdditionalMessages()
                        .forEach(more -> outcome.addIssue()
                                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                                .setCode(OperationOutcome.IssueType.PROCESSING)
                                .setDiagnostics(more));
            }
        }
        List<OperationOutcomeIssueComponent> issues = outcome.getIssue();
        for (int i = 0; i < issues.size(); i++) {
            OperationOutcomeIssueComponent issue = issues.get(i);
            String diagnostics = issue.getDiagnostics();
            if (i == 0) {
                issue.setDiagnostics(ErrorCodes.clean(status, diagnostics));
            } else if (diagnostics != null && ErrorCodes.revealsInternals(diagnostics)) {
                issue.setDiagnostics(null);
            }
        }
        exception.setOperationOutcome(outcome);
        return exception;
    }
}
