package org.mcsfhir.server.registry;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Client errors of the registry feature: typed HAPI exceptions carrying an OperationOutcome with an MCS-08nn code. */
final class RegistryErrors {

    private RegistryErrors() {}

    static ResourceNotFoundException notFound(String diagnostics) {
        return withOutcome(new ResourceNotFoundException(diagnostics), IssueType.NOTFOUND, null);
    }

    static ResourceGoneException gone(String diagnostics) {
        return withOutcome(new ResourceGoneException(diagnostics), IssueType.DELETED, null);
    }

    static UnprocessableEntityException unprocessable(String diagnostics, String expression) {
        return withOutcome(new UnprocessableEntityException(diagnostics), IssueType.BUSINESSRULE, expression);
    }

    static InvalidRequestException invalid(String diagnostics, String expression) {
        return withOutcome(new InvalidRequestException(diagnostics), IssueType.INVALID, expression);
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
