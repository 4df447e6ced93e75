package org.mcsfhir.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import java.util.UUID;

/**
 * Transaction Bundles shaped like Synthea's patient Bundles (plain R4, {@code urn:uuid:} references between entries):
 * per patient, encounters each with vital-sign and laboratory Observations, a Condition and a MedicationRequest.
 * Deterministic for a seed. {@code padding} adds that many characters of narrative to every resource, to build a
 * Bundle that is large in bytes as well as in entries.
 */
final class SyntheaLikeBundles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] OBSERVATIONS = {
        {"8867-4", "Heart rate", "72", "/min"}, {"9279-1", "Respiratory rate", "14", "/min"},
        {"29463-7", "Body weight", "80.5", "kg"}, {"8302-2", "Body height", "178", "cm"},
        {"39156-5", "Body mass index", "25.4", "kg/m2"}, {"8310-5", "Body temperature", "36.8", "Cel"},
        {"2339-0", "Glucose", "5.4", "mmol/L"}, {"2093-3", "Cholesterol", "4.9", "mmol/L"}
    };

    private final Random random;
    private final int padding;

    SyntheaLikeBundles(long seed, int padding) {
        this.random = new Random(seed);
        this.padding = padding;
    }

    /** A transaction Bundle of exactly {@code entries} entries (patients with 4 encounters of 10 resources each). */
    ObjectNode transaction(int entries) {
        ObjectNode bundle =
                JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entry = bundle.putArray("entry");
        String patient = null;
        String encounter = null;
        int inPatient = 0;
        while (entry.size() < entries) {
            if (patient == null || inPatient == 41) {
                patient = add(entry, patient());
                inPatient = 0;
            } else if (inPatient % 10 == 1) {
                encounter = add(entry, encounter(patient, inPatient / 10));
            } else if (inPatient % 10 == 0) {
                add(entry, condition(patient, encounter));
            } else if (inPatient % 10 == 9) {
                add(entry, medication(patient, encounter));
            } else {
                add(entry, observation(patient, encounter, OBSERVATIONS[inPatient % 10 - 2]));
            }
            inPatient++;
        }
        return bundle;
    }

    private String add(ArrayNode entries, ObjectNode resource) {
        String fullUrl = "urn:uuid:" + new UUID(random.nextLong(), random.nextLong());
        if (padding > 0) {
            resource.putObject("text")
                    .put("status", "generated")
                    .put("div", "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + "x".repeat(padding) + "</p></div>");
        }
        ObjectNode entry = entries.addObject().put("fullUrl", fullUrl);
        entry.set("resource", resource);
        entry.putObject("request")
                .put("method", "POST")
                .put("url", resource.path("resourceType").asText());
        return fullUrl;
    }

    private ObjectNode patient() {
        ObjectNode patient = JSON.createObjectNode().put("resourceType", "Patient");
        patient.putArray("identifier")
                .addObject()
                .put("system", "https://github.com/synthetichealth/synthea")
                .put("value", new UUID(random.nextLong(), random.nextLong()).toString());
        ObjectNode name = patient.putArray("name")
                .addObject()
                .put("use", "official")
                .put("family", "Family" + random.nextInt(100_000));
        name.putArray("given").add("Given" + random.nextInt(100_000));
        patient.putArray("telecom")
                .addObject()
                .put("system", "phone")
                .put("value", "555-" + random.nextInt(10_000))
                .put("use", "home");
        patient.put("gender", random.nextBoolean() ? "female" : "male")
                .put(
                        "birthDate",
                        String.format(
                                "19%02d-%02d-%02d",
                                30 + random.nextInt(70), 1 + random.nextInt(12), 1 + random.nextInt(28)));
        ObjectNode address = patient.putArray("address")
                .addObject()
                .put("city", "Leeds")
                .put("postalCode", "LS1 1AA")
                .put("country", "GB");
        address.putArray("line").add(random.nextInt(200) + " Main Street");
        return patient;
    }

    private ObjectNode encounter(String patient, int index) {
        ObjectNode encounter =
                JSON.createObjectNode().put("resourceType", "Encounter").put("status", "finished");
        encounter
                .putObject("class")
                .put("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .put("code", "AMB");
        ObjectNode type = encounter.putArray("type").addObject().put("text", "Encounter for check up");
        type.putArray("coding")
                .addObject()
                .put("system", "http://snomed.info/sct")
                .put("code", "185349003")
                .put("display", "Encounter for check up");
        encounter.putObject("subject").put("reference", patient);
        encounter
                .putObject("period")
                .put("start", date(index) + "T10:00:00+00:00")
                .put("end", date(index) + "T10:30:00+00:00");
        return encounter;
    }

    private ObjectNode observation(String patient, String encounter, String[] kind) {
        ObjectNode observation =
                JSON.createObjectNode().put("resourceType", "Observation").put("status", "final");
        observation
                .putArray("category")
                .addObject()
                .putArray("coding")
                .addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/observation-category")
                .put("code", "vital-signs");
        ObjectNode code = observation.putObject("code").put("text", kind[1]);
        code.putArray("coding")
                .addObject()
                .put("system", "http://loinc.org")
                .put("code", kind[0])
                .put("display", kind[1]);
        observation.putObject("subject").put("reference", patient);
        observation.putObject("encounter").put("reference", encounter);
        observation.put("effectiveDateTime", date(random.nextInt(4)) + "T10:10:00+00:00");
        observation
                .putObject("valueQuantity")
                .put("value", Double.parseDouble(kind[2]) + random.nextInt(10))
                .put("unit", kind[3])
                .put("system", "http://unitsofmeasure.org")
                .put("code", kind[3]);
        return observation;
    }

    private ObjectNode condition(String patient, String encounter) {
        ObjectNode condition = JSON.createObjectNode().put("resourceType", "Condition");
        condition
                .putObject("clinicalStatus")
                .putArray("coding")
                .addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/condition-clinical")
                .put("code", "active");
        ObjectNode code = condition.putObject("code").put("text", "Diabetes");
        code.putArray("coding")
                .addObject()
                .put("system", "http://snomed.info/sct")
                .put("code", "44054006")
                .put("display", "Diabetes");
        condition.putObject("subject").put("reference", patient);
        if (encounter != null) {
            condition.putObject("encounter").put("reference", encounter);
        }
        condition.put("onsetDateTime", "2019-01-01T00:00:00+00:00");
        return condition;
    }

    private ObjectNode medication(String patient, String encounter) {
        ObjectNode request = JSON.createObjectNode()
                .put("resourceType", "MedicationRequest")
                .put("status", "active")
                .put("intent", "order");
        ObjectNode medication = request.putObject("medicationCodeableConcept").put("text", "metformin");
        medication
                .putArray("coding")
                .addObject()
                .put("system", "http://www.nlm.nih.gov/research/umls/rxnorm")
                .put("code", "860975")
                .put("display", "metformin");
        request.putObject("subject").put("reference", patient);
        request.putObject("encounter").put("reference", encounter);
        request.put("authoredOn", "2020-01-01T10:20:00+00:00");
        return request;
    }

    private static String date(int index) {
        return String.format("2020-%02d-01", 1 + index % 12);
    }
}
