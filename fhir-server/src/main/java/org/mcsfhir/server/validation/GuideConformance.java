package org.mcsfhir.server.validation;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The one answer to "does this resource conform to the guide", shared by validation on write
 * ({@link ProfileValidationInterceptor}) and {@code $validate} ({@link GuideValidateOperation}) so that the two cannot
 * disagree: the guide's validator, the profiles {@link ProfileSelector} picks (plus any a {@code $validate} caller
 * names), and the same issues (warnings and errors, errors first, each with an {@code MCS-0422} diagnostic and the
 * element's FHIRPath).
 */
public class GuideConformance {

    /** @param issues warnings and errors, errors first; information is left out */
    public record Verdict(String resourceType, Set<String> profiles, List<SingleValidationMessage> issues) {

        public boolean hasErrors() {
            return issues.stream().anyMatch(GuideConformance::isError);
        }

        /** The diagnostics of one issue as both write and $validate report it. */
        public String diagnostics(SingleValidationMessage issue) {
            return "MCS-0422: " + resourceType + " does not conform to " + String.join(", ", profiles) + ": "
                    + issue.getMessage();
        }
    }

    private final FhirValidator validator;
    private final ProfileSelector selector;

    public GuideConformance(FhirValidator validator, ProfileSelector selector) {
        this.validator = validator;
        this.selector = selector;
    }

    /**
     * @param requestedProfiles profiles a caller names in addition to those the guide requires; none on write
     * @return no profiles and no issues when the guide says nothing about the resource (nothing is validated)
     */
    public Verdict check(IBaseResource resource, Collection<String> requestedProfiles) {
        Set<String> profiles = new LinkedHashSet<>(selector.profilesFor(resource));
        profiles.addAll(requestedProfiles);
        if (profiles.isEmpty()) {
            return new Verdict(resource.fhirType(), profiles, List.of());
        }
        ValidationOptions options = new ValidationOptions();
        profiles.forEach(options::addProfile);
        List<SingleValidationMessage> issues = new ArrayList<>();
        for (SingleValidationMessage message :
                validator.validateWithResult(resource, options).getMessages()) {
            if (message.getSeverity().ordinal() >= ResultSeverityEnum.WARNING.ordinal()) {
                issues.add(message);
            }
        }
        issues.sort((a, b) -> b.getSeverity().ordinal() - a.getSeverity().ordinal());
        return new Verdict(resource.fhirType(), profiles, List.copyOf(issues));
    }

    static boolean isError(SingleValidationMessage message) {
        return message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal();
    }

    /** The write's refusal: each issue with severity, code, expression and location. */
    public static OperationOutcome outcome(Verdict verdict) {
        OperationOutcome outcome = new OperationOutcome();
        for (SingleValidationMessage message : verdict.issues()) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(isError(message) ? IssueSeverity.ERROR : IssueSeverity.WARNING)
                    .setCode(issueType(message))
                    .setDiagnostics(verdict.diagnostics(message));
            if (message.getLocationString() != null) {
                issue.addExpression(message.getLocationString());
                issue.addLocation(message.getLocationString());
            }
        }
        return outcome;
    }

    static IssueType issueType(SingleValidationMessage message) {
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
        if (id.contains("fixed") || id.contains("pattern") || text.contains("must be")) {
            return IssueType.VALUE;
        }
        return IssueType.STRUCTURE;
    }
}
