package org.mcsfhir.server.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Parameters;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * What HAPI's JPA {@code $validate} ({@code BaseHapiFhirResourceDao.validate}, type and instance level) runs instead
 * of its own instance validator, so that it answers exactly what a write would: the guide's validator and
 * terminology, the profiles the guide requires of the resource plus the one the caller names, the write's issues.
 * HAPI's own validator reads the JPA support chain, which has no LOINC and resolves profiles differently, and it
 * validated the whole {@code Parameters} body instead of the resource inside it.
 *
 * <p>HAPI keeps the rest of {@code $validate}: the {@code profile} and {@code mode} parameters (URL or
 * {@code Parameters} body), reading the stored resource of an instance-level call without a body, {@code mode=delete}
 * (referential integrity), the id check of {@code mode=create/update}, and 200 with the OperationOutcome whatever it
 * reports. It runs whatever {@code mcs.validation.mode} says: a caller asking whether a resource conforms gets the
 * answer even where writes are not checked.
 */
public class GuideValidateOperation implements IInstanceValidatorModule {

    private static final Pattern PRIMITIVE_TO_STRING = Pattern.compile("[A-Za-z]+Type\\[(.*)]");

    private final GuideConformance conformance;
    private final IValidationSupport guide;

    /** @param guide where the guide's (and FHIR's core) profiles are known: a profile unknown to it is refused */
    public GuideValidateOperation(GuideConformance conformance, IValidationSupport guide) {
        this.conformance = conformance;
        this.guide = guide;
    }

    @Override
    public void validateResource(IValidationContext<IBaseResource> context) {
        List<String> requested = context.getOptions().getProfiles().stream()
                .map(GuideValidateOperation::canonical)
                .toList();
        for (String profile : requested) {
            if (guide.fetchStructureDefinition(profile) == null) {
                throw ClientErrors.invalid(
                        "MCS-0423: profile " + profile + " is unknown to this server: $validate "
                                + "checks against the guide's profiles and FHIR's core profiles",
                        "profile");
            }
        }
        IBaseResource resource = unwrap(context.getResource());
        GuideConformance.Verdict verdict = conformance.check(resource, requested);
        if (verdict.profiles().isEmpty()) {
            context.addValidationMessage(information(resource.fhirType()
                    + ": no profile of the guide applies and none was named, so a write does not validate it"));
            return;
        }
        for (SingleValidationMessage issue : verdict.issues()) {
            SingleValidationMessage copy = new SingleValidationMessage();
            copy.setSeverity(GuideConformance.isError(issue) ? ResultSeverityEnum.ERROR : ResultSeverityEnum.WARNING);
            copy.setMessage(verdict.diagnostics(issue));
            copy.setLocationString(issue.getLocationString());
            copy.setMessageId(issue.getMessageId());
            context.addValidationMessage(copy);
        }
        if (!verdict.hasErrors()) {
            // warnings never block a write: say so, as the write would store it
            context.addValidationMessage(
                    information(resource.fhirType() + " conforms to " + String.join(", ", verdict.profiles())
                            + " (warnings: " + verdict.issues().size() + ")"));
        }
    }

    /**
     * The profile's URL without a version. From a {@code Parameters} body HAPI 8.8 passes the parameter's
     * {@code toString()} ({@code MethodUtil}'s converter for {@code @Validate.Profile}), e.g.
     * {@code UriType[https://...]}, which no validator finds: unwrap it.
     */
    static String canonical(String profile) {
        Matcher wrapped = PRIMITIVE_TO_STRING.matcher(profile);
        String url = wrapped.matches() ? wrapped.group(1) : profile;
        return url.split("\\|")[0];
    }

    /**
     * HAPI hands over the raw body when there is one, which for a {@code Parameters} body is the Parameters: the
     * resource to validate is its {@code resource} parameter (as HAPI's own id check reads it).
     */
    private static IBaseResource unwrap(IBaseResource body) {
        if (body instanceof Parameters parameters
                && parameters.getParameter("resource") != null
                && parameters.getParameter("resource").getResource() != null) {
            return parameters.getParameter("resource").getResource();
        }
        return body;
    }

    private static SingleValidationMessage information(String text) {
        SingleValidationMessage message = new SingleValidationMessage();
        message.setSeverity(ResultSeverityEnum.INFORMATION);
        message.setMessage(text);
        return message;
    }
}
