package org.mcsfhir.server.errors;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import ca.uhn.fhir.context.FhirContext;

/**
 * Writes an OperationOutcome for errors raised outside HAPI's RestfulServer (servlet filters, Spring error pages),
 * so every client error has the same shape whichever layer caught it.
 */
public final class OperationOutcomes {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private OperationOutcomes() {}

    public static OperationOutcome error(String issueCode, String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(IssueType.fromCode(issueCode))
                .setDiagnostics(diagnostics);
        return outcome;
    }

    public static void write(HttpServletResponse response, int status, String issueCode, String diagnostics)
            throws IOException {
        String body = FHIR.newJsonParser().encodeResourceToString(error(issueCode, diagnostics));
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
