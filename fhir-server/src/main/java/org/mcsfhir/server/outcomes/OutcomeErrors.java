package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Client errors of {@code $audit}: typed HAPI exceptions carrying an OperationOutcome with an MCS-10nn code. */
final class OutcomeErrors {

    private OutcomeErrors() {}

    static InvalidRequestException invalid(String diagnostics, String expression) {
        return withOutcome(new InvalidRequestException(diagnostics), IssueType.INVALID, expression);
    }

    static ResourceNotFoundException notFound(String diagnostics, String expression) {
        return withOutcome(new ResourceNotFoundException(diagnostics), IssueType.NOTFOUND, expression);
    }

    private static <E extends BaseServerResponseException> E withOutcome(E exception, IssueType type,
            String expression) {
        OperationOutcome outcome = new OperationOutcome();
        var issue = outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(type)
                .setDiagnostics(exception.getMessage());
        if (expression != null) {
            issue.addExpression(expression);
        }
        exception.setOperationOutcome(outcome);
        return exception;
    }
}
