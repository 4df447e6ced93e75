package org.mcsfhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorWarmUpTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void warmUp_validatesEveryExampleOfTheGuidePackageOnce() {
        List<String> validated = new ArrayList<>();
        FhirValidator validator = FHIR.newValidator();
        validator.registerValidatorModule(context -> validated.add(context.getResourceAsString()));

        new ValidatorWarmUp(validator, true).warmUp();

        assertThat(validated).hasSize(ValidatorWarmUp.guideExamples().size()).hasSizeGreaterThan(30);
        assertThat(validated).anySatisfy(json -> assertThat(json).contains("\"mcs-example-insertion-1\""));
    }

    @Test
    void warmUp_survivesAValidatorFailure() {
        FhirValidator validator = FHIR.newValidator();
        validator.registerValidatorModule(context -> {
            throw new IllegalStateException("definitions unavailable");
        });

        assertThatCode(() -> new ValidatorWarmUp(validator, true).warmUp()).doesNotThrowAnyException();
    }
}
