package org.mcsfhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.mcsfhir.terminology.GuideTerminology;

/**
 * The module HAPI's {@code $validate} runs, inside a FhirValidator as the DAO builds one, with the real guide package:
 * it must report exactly what the write-time interceptor refuses.
 */
class GuideValidateOperationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ValidationSupportChain GUIDE =
            GuideTerminology.chain(FHIR, GuideTerminology.PACKAGE_ON_CLASSPATH);
    private static final FhirValidator GUIDE_VALIDATOR =
            FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(GUIDE));
    private static final GuideConformance CONFORMANCE =
            new GuideConformance(GUIDE_VALIDATOR, ProfileSelector.fromClasspath(FHIR));
    private static final String REGISTRY_CASE = "https://mcs-fhir.org/fhir/StructureDefinition/mcs-registry-case";

    /** What HAPI's DAO does for $validate: a fresh validator with the instance validator module. */
    private static List<SingleValidationMessage> validate(Resource resource, String profile) {
        FhirValidator dao = FHIR.newValidator().registerValidatorModule(new GuideValidateOperation(CONFORMANCE, GUIDE));
        return dao.validateWithResult(resource, new ValidationOptions().addProfileIfNotBlank(profile))
                .getMessages();
    }

    private static List<SingleValidationMessage> errors(List<SingleValidationMessage> messages) {
        return messages.stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR)
                .toList();
    }

    private static Procedure insertionWithoutAccessSite() {
        Procedure insertion = (Procedure) GuideExamples.byId(FHIR, "mcs-example-insertion-1");
        insertion.setBodySite(null);
        return insertion;
    }

    @Test
    void reportsWhatTheWriteRefuses_sameDiagnosticsAndExpressions() {
        ProfileValidationInterceptor write =
                new ProfileValidationInterceptor(FHIR, CONFORMANCE, ValidationProperties.Mode.ENFORCE);
        UnprocessableEntityException refused = catchThrowableOfType(
                () -> write.beforeCreate(insertionWithoutAccessSite(), null), UnprocessableEntityException.class);
        List<String> refusedErrors = ((OperationOutcome) refused.getOperationOutcome())
                .getIssue().stream()
                        .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                        .map(i -> i.getDiagnostics() + " @ "
                                + i.getExpression().get(0).getValue())
                        .toList();

        List<String> reported = errors(validate(insertionWithoutAccessSite(), null)).stream()
                .map(m -> m.getMessage() + " @ " + m.getLocationString())
                .toList();

        assertThat(reported).isNotEmpty().isEqualTo(refusedErrors);
        assertThat(reported)
                .anySatisfy(e -> assertThat(e).startsWith("MCS-0422").contains("Procedure.bodySite"));
    }

    @Test
    void everyGuideExampleHasNoError() {
        for (Resource example : GuideExamples.all(FHIR)) {
            assertThat(errors(validate(example, null))).as(example.getIdPart()).isEmpty();
        }
    }

    @Test
    void registryCaseExampleConformsToTheRegistryCaseProfile() {
        Resource bundle = GuideExamples.byId(FHIR, "mcs-example-registry-case-1");
        bundle.getMeta().getProfile().clear();

        List<SingleValidationMessage> messages = validate(bundle, REGISTRY_CASE);

        assertThat(errors(messages)).isEmpty();
        assertThat(messages).anySatisfy(m -> assertThat(m.getMessage()).contains("conforms to " + REGISTRY_CASE));
    }

    @Test
    void parametersBody_validatesTheResourceInside() {
        Parameters body = new Parameters();
        body.addParameter().setName("resource").setResource(insertionWithoutAccessSite());

        assertThat(errors(validate(body, null)))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("Procedure.bodySite"));
    }

    @Test
    void profileFromAParametersBody_isReadAsItsUrl() {
        // HAPI passes a Parameters body's profile as the UriType's toString()
        assertThat(GuideValidateOperation.canonical("UriType[" + REGISTRY_CASE + "]"))
                .isEqualTo(REGISTRY_CASE);
        assertThat(GuideValidateOperation.canonical(REGISTRY_CASE + "|0.1.0")).isEqualTo(REGISTRY_CASE);
        assertThat(GuideValidateOperation.canonical(REGISTRY_CASE)).isEqualTo(REGISTRY_CASE);
    }

    @Test
    void unknownProfile_isAClientErrorNamingIt() {
        InvalidRequestException refused = catchThrowableOfType(
                () -> validate(insertionWithoutAccessSite(), "https://mcs-fhir.org/fhir/StructureDefinition/nope"),
                InvalidRequestException.class);

        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(refused.getMessage()).startsWith("MCS-0423").contains("StructureDefinition/nope");
    }

    @Test
    void resourceTheGuideSaysNothingAbout_hasNoErrorAsOnWrite() {
        Basic basic = new Basic();
        List<SingleValidationMessage> messages = validate(basic, null);

        assertThat(errors(messages)).isEmpty();
        assertThat(messages)
                .singleElement()
                .satisfies(m -> assertThat(m.getSeverity()).isEqualTo(ResultSeverityEnum.INFORMATION));
    }
}
