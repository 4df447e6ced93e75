package org.mcsfhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Test;
import org.mcsfhir.terminology.GuideTerminology;

/** The interceptor alone, with the real guide package and validator, without Spring or a database. */
class ProfileValidationInterceptorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final FhirValidator VALIDATOR = FHIR.newValidator()
            .registerValidatorModule(
                    new FhirInstanceValidator(GuideTerminology.chain(FHIR, GuideTerminology.PACKAGE_ON_CLASSPATH)));
    private static final ProfileSelector SELECTOR = ProfileSelector.fromClasspath(FHIR);

    private static ProfileValidationInterceptor interceptor(ValidationProperties.Mode mode) {
        return new ProfileValidationInterceptor(FHIR, new GuideConformance(VALIDATOR, SELECTOR), mode);
    }

    private static Procedure insertionWithoutAccessSite() {
        Procedure insertion = (Procedure) GuideExamples.byId(FHIR, "mcs-example-insertion-1");
        insertion.setBodySite(null);
        return insertion;
    }

    @Test
    void enforce_rejectsWith422NamingTheMissingElement() {
        UnprocessableEntityException refused = catchThrowableOfType(
                () -> interceptor(ValidationProperties.Mode.ENFORCE)
                        .beforeCreate(insertionWithoutAccessSite(), new SystemRequestDetails()),
                UnprocessableEntityException.class);

        assertThat(refused.getStatusCode()).isEqualTo(422);
        OperationOutcome outcome = (OperationOutcome) refused.getOperationOutcome();
        assertThat(outcome.getIssue())
                .filteredOn(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                .anySatisfy(issue -> {
                    assertThat(issue.getDiagnostics()).startsWith("MCS-0422").contains("Procedure.bodySite");
                    assertThat(issue.getCode()).isEqualTo(OperationOutcome.IssueType.REQUIRED);
                    assertThat(issue.getExpression()).isNotEmpty();
                });
    }

    @Test
    void enforce_acceptsAConformingExample() {
        Procedure insertion = (Procedure) GuideExamples.byId(FHIR, "mcs-example-insertion-1");
        assertThatCode(() -> interceptor(ValidationProperties.Mode.ENFORCE)
                        .beforeCreate(insertion, new SystemRequestDetails()))
                .doesNotThrowAnyException();
    }

    @Test
    void warnAndOff_storeNonConformingResources() {
        assertThatCode(() -> interceptor(ValidationProperties.Mode.WARN)
                        .beforeCreate(insertionWithoutAccessSite(), new SystemRequestDetails()))
                .doesNotThrowAnyException();
        assertThatCode(() -> interceptor(ValidationProperties.Mode.OFF)
                        .beforeUpdate(null, insertionWithoutAccessSite(), new SystemRequestDetails()))
                .doesNotThrowAnyException();
    }

    @Test
    void serverBuiltResourcesMaySkipValidation() {
        SystemRequestDetails internal = new SystemRequestDetails();
        internal.getUserData().put(ValidationBypass.USER_DATA_KEY, Boolean.TRUE);

        assertThatCode(() -> interceptor(ValidationProperties.Mode.ENFORCE)
                        .beforeCreate(insertionWithoutAccessSite(), internal))
                .doesNotThrowAnyException();
    }
}
