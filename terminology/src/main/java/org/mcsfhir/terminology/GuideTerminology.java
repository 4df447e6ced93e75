package org.mcsfhir.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;

/**
 * The validation support chain for the guide, built in memory from its FHIR NPM package: R4 core definitions, the
 * guide's profiles and terminology, HAPI's built-in code systems (UCUM, MIME types, languages…) and in-memory
 * value set evaluation. Used by the guide's own conformance tests and, behind a cache, by the server's validation.
 */
public final class GuideTerminology {

    /** Where the profiles module puts the package on the classpath. */
    public static final String PACKAGE_ON_CLASSPATH = "classpath:mcs-fhir-ig/package.tgz";

    private GuideTerminology() {}

    public static ValidationSupportChain chain(FhirContext fhir, String packageLocation) {
        NpmPackageValidationSupport guide = new NpmPackageValidationSupport(fhir);
        try {
            guide.loadPackageFromClasspath(packageLocation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the guide package " + packageLocation, e);
        }
        return new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                guide,
                new CommonCodeSystemsTerminologyService(fhir),
                unknownCodeSystemsWarn(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir));
    }

    /**
     * No SNOMED CT or LOINC release is available offline: a code from a system we do not hold is reported as a
     * warning, as the HL7 validator does with {@code -tx n/a}. Our own code systems are still checked in full, and
     * enumerated value sets still constrain which SNOMED CT / LOINC codes are members.
     */
    private static UnknownCodeSystemWarningValidationSupport unknownCodeSystemsWarn(FhirContext fhir) {
        UnknownCodeSystemWarningValidationSupport support = new UnknownCodeSystemWarningValidationSupport(fhir);
        support.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        return support;
    }
}
