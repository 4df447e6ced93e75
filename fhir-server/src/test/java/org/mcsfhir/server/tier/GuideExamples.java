package org.mcsfhir.server.tier;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.mcsfhir.server.guide.GuideInstaller;

/**
 * The implementation guide's examples, read from the package the server itself installs, stored once per context
 * as one transaction of PUTs (they refer to each other). The registry-case Bundles are left out: they are documents
 * of a case, not records of one.
 */
public final class GuideExamples {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Set<String> STORED_ON = new HashSet<>();

    private GuideExamples() {}

    /** Stores every example on the server at {@code fhirBase} unless this JVM has already done so. */
    public static synchronized void storeOn(String fhirBase) {
        if (STORED_ON.add(fhirBase)) {
            RestAssured.given()
                    .baseUri(fhirBase)
                    .contentType("application/fhir+json")
                    .body(transaction())
                    .post("/")
                    .then()
                    .statusCode(200);
        }
    }

    /** One example as the package holds it, e.g. {@code json("Procedure", "mcs-example-insertion-1")}. */
    public static String json(String resourceType, String id) {
        NpmPackage guide = GuideInstaller.guidePackage();
        try (InputStream json = guide.load("example", resourceType + "-" + id + ".json")) {
            if (json == null) {
                throw new IllegalArgumentException("no example " + resourceType + "/" + id + " in the guide");
            }
            return new String(json.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String transaction() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        NpmPackage guide = GuideInstaller.guidePackage();
        try {
            for (String name : guide.list("example")) {
                try (InputStream json = guide.load("example", name)) {
                    Resource example = (Resource) FHIR.newJsonParser().parseResource(json);
                    if (example instanceof Bundle) {
                        continue;
                    }
                    String url = example.fhirType() + "/" + example.getIdPart();
                    bundle.addEntry()
                            .setFullUrl(url)
                            .setResource(example)
                            .getRequest()
                            .setMethod(Bundle.HTTPVerb.PUT)
                            .setUrl(url);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return FHIR.newJsonParser().encodeResourceToString(bundle);
    }
}
