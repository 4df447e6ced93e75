package org.mcsfhir.server.guide;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * Reads single resources of the guide's package for features that take terminology from it (the MLLP channel map,
 * the outcome audit's stratum maps), so that a mapping is published and reviewed in the guide, not retyped in code.
 */
public final class GuideResources {

    private GuideResources() {}

    /** The package's ConceptMap with this id; a guide without it is a broken build, so this throws. */
    public static ConceptMap conceptMap(NpmPackage guide, FhirContext fhir, String id) {
        try (InputStream in = guide.loadResource("ConceptMap", id)) {
            if (in == null) {
                throw new IllegalStateException("the guide has no ConceptMap " + id);
            }
            return fhir.newJsonParser().parseResource(ConceptMap.class, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
