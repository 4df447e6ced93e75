package org.mcsfhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/** The guide's examples, read from the package on the classpath exactly as the server sees it. */
final class GuideExamples {

    private GuideExamples() {}

    static List<Resource> all(FhirContext fhir) {
        return ValidatorWarmUp.guideExamples().stream()
                .map(json -> (Resource) fhir.newJsonParser().parseResource(json))
                .toList();
    }

    static Resource byId(FhirContext fhir, String id) {
        return all(fhir).stream()
                .filter(r -> r.getIdPart().equals(id))
                .findFirst()
                .orElseThrow();
    }
}
