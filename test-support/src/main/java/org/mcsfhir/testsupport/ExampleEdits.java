package org.mcsfhir.testsupport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * The guide's example records turned into new ones, as tests of both tiers store them: under a new id, about another
 * patient. Each tier loads the example itself (fhir-server's tests from the built package, the ITs from the source
 * tree) and passes it in; the edit is made in place and the record returned.
 */
public final class ExampleEdits {

    private ExampleEdits() {}

    /**
     * The guide's insertion 1 as {@code id}, about {@code patient}, performed for 40 minutes from {@code start},
     * without its consent extension or listed complications (so the worklist finds it incomplete).
     */
    public static ObjectNode insertionWithoutConsent(ObjectNode insertion1, String id, String patient, Instant start) {
        insertion1.put("id", id);
        insertion1.remove("text");
        insertion1.remove("complicationDetail");
        ArrayNode extensions = (ArrayNode) insertion1.get("extension");
        for (int i = extensions.size() - 1; i >= 0; i--) {
            if (extensions.get(i).path("url").asText().endsWith("/mcs-consent")) {
                extensions.remove(i);
            }
        }
        ((ObjectNode) insertion1.get("subject")).put("reference", patient);
        ObjectNode performed = (ObjectNode) insertion1.get("performedPeriod");
        performed.put("start", start.toString());
        performed.put("end", start.plus(Duration.ofMinutes(40)).toString());
        return insertion1;
    }

    /** The guide's consent 1a as {@code id}: {@code patient}'s consent to the data of {@code insertion}. */
    public static ObjectNode consent(ObjectNode consent1a, String id, String patient, String insertion) {
        consent1a.put("id", id);
        consent1a.remove("text");
        ((ObjectNode) consent1a.get("patient")).put("reference", patient);
        ((ObjectNode) consent1a.get("provision").get("data").get(0).get("reference")).put("reference", insertion);
        return consent1a;
    }
}
