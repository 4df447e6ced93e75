package org.mcsfhir.server.errors;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Client errors raised inside HAPI's RestfulServer by our features: HAPI's typed exceptions (which pick the status)
 * carrying an OperationOutcome whose one issue gives the MCS code and message and, where known, the FHIRPath of the
 * offending element or the name of the offending parameter.
 */
public final class ClientErrors {

    private ClientErrors() {}

    public static InvalidRequestException invalid(String diagnostics, String expression) {
        return withOutcome(new InvalidRequestException(diagnostics), IssueType.INVALID, expression);
    }

    /** A request the server could answer but will not, because answering would cost too much (400, too-costly). */
    public static InvalidRequestException tooCostly(String diagnostics, String expression) {
        return withOutcome(new InvalidRequestException(diagnostics), IssueType.TOOCOSTLY, expression);
    }

    public static ResourceNotFoundException notFound(String diagnostics, String expression) {
        return withOutcome(new ResourceNotFoundException(diagnostics), IssueType.NOTFOUND, expression);
    }

    public static ResourceGoneException gone(String diagnostics) {
        return withOutcome(new ResourceGoneException(diagnostics), IssueType.DELETED, null);
    }

    public static UnprocessableEntityException unprocessable(String diagnostics, String expression) {
        return withOutcome(new UnprocessableEntityException(diagnostics), IssueType.BUSINESSRULE, expression);
    }

    public static ResourceVersionConflictException conflict(String diagnostics) {
        return withOutcome(new ResourceVersionConflictException(diagnostics), IssueType.CONFLICT, null);
    }

    private static <E extends BaseServerResponseException> E withOutcome(
            E exception, IssueType type, String expression) {
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
