package org.mcsfhir.server.tier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;
import org.mcsfhir.testsupport.ExampleEdits;

/**
 * A new case made from the guide's example case 1 under fresh ids, so that context tests sharing one database never
 * see each other's records: a patient of centre 1 and a pump insertion without a consent, to which a consent can be
 * added. It refers to the example centre, operator and pump, so {@link GuideExamples#storeOn} must have run.
 */
public final class ExampleCase {

    public static final String CENTRE_1 = "Organization/mcs-example-centre-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String fhirBase;
    private final String run;
    public final String patient;
    public final String insertion;

    private ExampleCase(String fhirBase, String run, String patient, String insertion) {
        this.fhirBase = fhirBase;
        this.run = run;
        this.patient = patient;
        this.insertion = insertion;
    }

    /** Stores the examples (once), then this case's patient and its insertion, started at {@code start}. */
    public static ExampleCase store(String fhirBase, String name, Instant start) {
        GuideExamples.storeOn(fhirBase);
        String run = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        String patientId = "ctx-pat-" + run;
        ObjectNode patient = example("Patient", "mcs-example-patient-1");
        patient.put("id", patientId);
        patient.remove("text");
        ArrayNode identifiers = JSON.createArrayNode();
        identifiers.add(JSON.createObjectNode()
                .put("system", "https://mcs-fhir.org/fhir/example/centre-1/mrn")
                .put("value", patientId));
        patient.set("identifier", identifiers);
        put(fhirBase, "Patient/" + patientId, patient);

        String insertionId = "ctx-ins-" + run;
        put(fhirBase, "Procedure/" + insertionId, insertion(insertionId, "Patient/" + patientId, start));
        return new ExampleCase(fhirBase, run, "Patient/" + patientId, "Procedure/" + insertionId);
    }

    /** The guide's insertion 1 under a new id, about {@code patient}, without consent or listed complications. */
    private static ObjectNode insertion(String id, String patient, Instant start) {
        return ExampleEdits.insertionWithoutConsent(
                example("Procedure", "mcs-example-insertion-1"), id, patient, start);
    }

    /** Another insertion of this case's patient, started at {@code start}; returns its reference. */
    public String storeInsertion(String name, Instant start) {
        String id = "ctx-ins-" + name + "-" + run;
        put(fhirBase, "Procedure/" + id, insertion(id, patient, start));
        return "Procedure/" + id;
    }

    /**
     * A confirmed bleeding complication of this case's patient with onset {@code onset}, listed by no insertion (so it
     * belongs to the patient's latest insertion started before it); returns its reference.
     */
    public String storeComplication(String name, Instant onset) {
        String id = "ctx-cond-" + name + "-" + run;
        ObjectNode condition = example("Condition", "mcs-example-bleeding-1");
        condition.put("id", id);
        condition.remove("text");
        ((ObjectNode) condition.get("subject")).put("reference", patient);
        condition.put("onsetDateTime", onset.toString());
        put(fhirBase, "Condition/" + id, condition);
        return "Condition/" + id;
    }

    /** A consent of this patient to this insertion's data; returns its reference. */
    public String storeConsent() {
        String id = "ctx-consent-" + run;
        put(
                fhirBase,
                "Consent/" + id,
                ExampleEdits.consent(example("Consent", "mcs-example-consent-1a"), id, patient, insertion));
        return "Consent/" + id;
    }

    public String insertionId() {
        return insertion.substring(insertion.indexOf('/') + 1);
    }

    public static ObjectNode example(String resourceType, String id) {
        try {
            return (ObjectNode) JSON.readTree(GuideExamples.json(resourceType, id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(String fhirBase, String path, ObjectNode resource) {
        RequestSpecification request = RestAssured.given()
                .baseUri(fhirBase)
                .contentType("application/fhir+json")
                .accept("application/fhir+json");
        request.body(resource.toString()).put("/" + path).then().statusCode(201);
    }
}
