package org.mcsfhir.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.mcsfhir.terminology.GuideTerminology;

/**
 * HAPI's validator loaded with the built guide package (from the classpath, as the server loads it) and the R4 core
 * definitions; no snapshot generator in the chain, so a package without snapshots would fail here.
 */
final class GuideValidator {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final FhirValidator VALIDATOR = FHIR.newValidator()
            .registerValidatorModule(
                    new FhirInstanceValidator(GuideTerminology.chain(FHIR, GuideTerminology.PACKAGE_ON_CLASSPATH)));

    private GuideValidator() {}

    static ValidationResult validate(String json) {
        return VALIDATOR.validateWithResult(json);
    }
}
