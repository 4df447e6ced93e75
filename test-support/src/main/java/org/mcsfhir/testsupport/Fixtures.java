package org.mcsfhir.testsupport;

import java.util.UUID;

/**
 * Small FHIR JSON bodies for the generic REST tests; clinical examples come from the implementation guide ({@link
 * GuideSources}). Shared because fhir-server's context tests and the ITs write the same test patients.
 */
public final class Fixtures {

    public static final String TEST_SYSTEM = "https://mcs-fhir.org/fhir/sid/it-test";

    private Fixtures() {}

    public static String uniqueValue() {
        return UUID.randomUUID().toString();
    }

    public static String patient(String identifier, String family) {
        return """
                {"resourceType":"Patient",
                 "identifier":[{"system":"%s","value":"%s"}],
                 "name":[{"family":"%s"}],"gender":"female","birthDate":"1967-09-14"}""".formatted(TEST_SYSTEM, identifier, family);
    }
}
