package org.mcsfhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.npm.NpmPackage;

/** The guide's examples, read from the package on the classpath exactly as the server sees it. */
final class GuideExamples {

    private GuideExamples() {}

    static List<Resource> all(FhirContext fhir) {
        try (InputStream in = GuideExamples.class.getResourceAsStream("/mcs-fhir-ig/package.tgz")) {
            NpmPackage npm = NpmPackage.fromPackage(in);
            List<Resource> examples = new ArrayList<>();
            for (String file : npm.list("example")) {
                try (InputStream example = npm.load("example", file)) {
                    examples.add((Resource) fhir.newJsonParser().parseResource(example));
                }
            }
            return examples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Resource byId(FhirContext fhir, String id) {
        return all(fhir).stream().filter(r -> r.getIdPart().equals(id)).findFirst().orElseThrow();
    }
}
