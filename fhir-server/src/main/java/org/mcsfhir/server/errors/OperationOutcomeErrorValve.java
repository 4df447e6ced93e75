package org.mcsfhir.server.errors;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Tomcat's error report for what fails before the application sees a request (a malformed request line or URI, a
 * header too large, a bad Content-Length): an OperationOutcome instead of Tomcat's HTML page. Installed in place of
 * every other ErrorReportValve of the host ({@link ErrorHandlingConfig}).
 */
public class OperationOutcomeErrorValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as the parent: only errors, only once, only when nothing has been written
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        // Tomcat answers a method it does not serve (CONNECT) with 501, which is no fault of this server
        boolean unsupportedMethod = status == 501 && !RequestLineFilter.METHODS.contains(request.getMethod());
        if (unsupportedMethod) {
            status = 405;
            response.setHeader("Allow", RequestLineFilter.ALLOW);
        }
        try {
            OperationOutcome outcome;
            // Tomcat passes the cause of its 4xx too (e.g. an invalid character in the request line): the status
            // tells a client's mistake from a fault (the parent valve turns an unhandled exception into a 500 first)
            if (unsupportedMethod) {
                outcome = OperationOutcomes.error("not-supported", RequestLineFilter.unsupported(request.getMethod()));
            } else if (status >= 500) {
                Throwable fault = throwable != null ? throwable : new IllegalStateException("status " + status);
                ServerFaults.Answer answer = ServerFaults.report(request, response, null, fault);
                outcome = OperationOutcomes.error(answer.issueType(), answer.diagnostics());
                status = answer.status() == 503 ? 503 : status; // Tomcat's own 501, 503, 505 are kept
            } else {
                outcome = OperationOutcomes.error(
                        OperationOutcomeErrorController.issueType(status),
                        ErrorCodes.clean(status, response.getMessage()));
            }
            boolean xml = OperationOutcomes.wantsXml(request);
            String body = OperationOutcomes.encode(outcome, xml);
            response.setStatus(status);
            response.setContentType(OperationOutcomes.contentType(xml));
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException cannotWrite) {
            container.getLogger().debug("could not write the error OperationOutcome", cannotWrite);
        }
    }
}
