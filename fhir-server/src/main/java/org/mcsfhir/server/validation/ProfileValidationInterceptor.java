package org.mcsfhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad clinical data never gets in: every resource about to be stored (create, update, each entry of a transaction)
 * that the guide profiles is validated against its profile, and a non-conforming one is refused with 422 and an
 * OperationOutcome naming each problem's element. It hooks the storage layer rather than the REST layer so that
 * transactions, conditional operations and internal writes are all covered; throwing before commit rolls the
 * whole transaction back. Warnings never block.
 */
@Interceptor
public class ProfileValidationInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ProfileValidationInterceptor.class);

    private final FhirContext fhir;
    private final FhirValidator validator;
    private final ProfileSelector selector;
    private final ValidationProperties.Mode mode;

    public ProfileValidationInterceptor(
            FhirContext fhir, FhirValidator validator, ProfileSelector selector, ValidationProperties.Mode mode) {
        this.fhir = fhir;
        this.validator = validator;
        this.selector = selector;
        this.mode = mode;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource resource, RequestDetails request) {
        validate(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        validate(resource, request);
    }

    private void validate(IBaseResource resource, RequestDetails request) {
        if (mode == ValidationProperties.Mode.OFF || bypassed(request)) {
            return;
        }
        Set<String> profiles = selector.profilesFor(resource);
        if (profiles.isEmpty()) {
            return;
        }
        ValidationOptions options = new ValidationOptions();
        profiles.forEach(options::addProfile);
        List<SingleValidationMessage> messages =
                validator.validateWithResult(resource, options).getMessages();
        List<SingleValidationMessage> errors = messages.stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();
        if (errors.isEmpty()) {
            return;
        }
        if (mode == ValidationProperties.Mode.WARN) {
            log.warn("{} does not conform to {} ({} errors; stored because mcs.validation.mode=warn): {}",
                    resource.fhirType(), profiles, errors.size(), errors.get(0).getMessage());
            return;
        }
        throw new UnprocessableEntityException(fhir, outcome(resource, profiles, messages));
    }

    private static boolean bypassed(RequestDetails request) {
        return request != null && Boolean.TRUE.equals(request.getUserData().get(ValidationBypass.USER_DATA_KEY));
    }

    /** Errors first, then warnings; each with the element's FHIRPath so an integration engineer can find it. */
    private static OperationOutcome outcome(IBaseResource resource, Set<String> profiles, List<SingleValidationMessage> messages) {
        OperationOutcome outcome = new OperationOutcome();
        List<SingleValidationMessage> ordered = new ArrayList<>(messages);
        ordered.sort((a, b) -> b.getSeverity().ordinal() - a.getSeverity().ordinal());
        for (SingleValidationMessage message : ordered) {
            if (message.getSeverity().ordinal() < ResultSeverityEnum.WARNING.ordinal()) {
                continue;
            }
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()
                            ? IssueSeverity.ERROR
                            : IssueSeverity.WARNING)
                    .setCode(issueType(message))
                    .setDiagnostics("MCS-0422: " + resource.fhirType() + " does not conform to " + String.join(", ", profiles)
                            + ": " + message.getMessage());
            if (message.getLocationString() != null) {
                issue.addExpression(message.getLocationString());
                issue.addLocation(message.getLocationString());
            }
        }
        return outcome;
    }

    private static IssueType issueType(SingleValidationMessage message) {
        String id = message.getMessageId() == null ? "" : message.getMessageId().toLowerCase();
        String text = message.getMessage() == null ? "" : message.getMessage().toLowerCase();
        if (id.contains("minimum") || text.contains("minimum required")) {
            return IssueType.REQUIRED;
        }
        if (id.startsWith("terminology") || text.contains("value set") || text.contains("valueset")) {
            return IssueType.CODEINVALID;
        }
        if (text.contains("constraint failed") || id.contains("inv")) {
            return IssueType.INVARIANT;
        }
        if (id.contains("fixed") || id.contains("pattern") || text.contains("must be") ) {
            return IssueType.VALUE;
        }
        return IssueType.STRUCTURE;
    }
}
