package org.mcsfhir.it.security;

import static org.mcsfhir.it.security.SecureServer.claims;
import static org.mcsfhir.it.security.SecureServer.create;
import static org.mcsfhir.it.security.SecureServer.token;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test data for the isolation tests: two implanting centres (A and B), each with a patient, a device implanted in
 * it, a clinical Observation, a telemetry Observation, the pump insertion (Procedure) and a worklist Task, all written
 * through the API by the centre's own EHR and gateway tokens. Every value that could leak (ids, identifiers, names) is unique to this run.
 */
final class TwoCentres {

    static final String TELEMETRY_CATEGORY = "https://mcs-fhir.org/fhir/CodeSystem/mcs-observation-category-cs";

    /** One centre's data. */
    record Centre(
            String organization,
            String patient,
            String patientIdentifier,
            String family,
            String device,
            String observation,
            String observationIdentifier,
            String telemetry,
            String insertion,
            String task,
            String condition,
            String consent,
            String ehrToken,
            String gatewayToken) {

        /** Strings that must never appear in a response to another centre's client. */
        List<String> markers() {
            return List.of(
                    "Patient/" + patient + "\"",
                    "Patient/" + patient + "/",
                    "\"id\":\"" + patient + "\"",
                    "\"id\":\"" + observation + "\"",
                    "Observation/" + observation,
                    "\"id\":\"" + device + "\"",
                    "Device/" + device,
                    "\"id\":\"" + telemetry + "\"",
                    "Observation/" + telemetry,
                    "\"id\":\"" + insertion + "\"",
                    "Procedure/" + insertion,
                    "\"id\":\"" + task + "\"",
                    "Task/" + task,
                    "\"id\":\"" + condition + "\"",
                    "Condition/" + condition,
                    "\"id\":\"" + consent + "\"",
                    "Consent/" + consent,
                    patientIdentifier,
                    family,
                    observationIdentifier);
        }
    }

    static final String ADMIN = token(
            "it-admin",
            claims(
                    "admin",
                    null,
                    "system/StructureDefinition.cruds system/ValueSet.cruds system/CodeSystem.cruds system/ConceptMap.cruds"
                            + " system/SearchParameter.cruds system/Organization.cruds system/Practitioner.cruds"
                            + " system/PractitionerRole.cruds"));

    private static TwoCentres instance;

    final Centre a;
    final Centre b;

    private TwoCentres() {
        a = seed("A");
        b = seed("B");
    }

    static synchronized TwoCentres get() {
        if (instance == null) {
            instance = new TwoCentres();
        }
        return instance;
    }

    static String ehrToken(String centre) {
        return token("it-ehr-" + centre, claims("ehr", centre, "system/*.cruds"));
    }

    static String gatewayToken(String centre) {
        return token("it-gateway-" + centre, claims("device-gateway", centre, "system/Observation.cu"));
    }

    private static Centre seed(String name) {
        String run = UUID.randomUUID().toString();
        String organization = create(ADMIN, "Organization", """
                {"resourceType":"Organization","name":"Centre %s %s"}""".formatted(name, run));
        String ehr = ehrToken(organization);
        String gateway = gatewayToken(organization);
        String patientIdentifier = "pat-" + run;
        String family = "Family" + name + run.substring(0, 8);
        String patient = create(ehr, "Patient", """
                {"resourceType":"Patient","identifier":[{"system":"https://mcs-fhir.org/fhir/sid/it-mrn","value":"%s"}],
                 "name":[{"family":"%s"}],"gender":"female","birthDate":"1967-09-14",
                 "managingOrganization":{"reference":"Organization/%s"}}""".formatted(patientIdentifier, family, organization));
        String device = create(ehr, "Device", """
                {"resourceType":"Device","serialNumber":"sn-%s","owner":{"reference":"Organization/%s"},
                 "patient":{"reference":"Patient/%s"}}""".formatted(run, organization, patient));
        String observationIdentifier = "obs-" + run;
        String observation = create(ehr, "Observation", clinicalObservation(patient, observationIdentifier));
        String telemetry = create(gateway, "Observation", telemetryObservation(patient, device, "tel-" + run));
        String insertion = create(ehr, "Procedure", insertion(patient, device));
        String task = create(ehr, "Task", task(patient, organization));
        String condition = create(ehr, "Condition", condition(patient));
        String consent = create(ehr, "Consent", consent(patient, insertion));
        return new Centre(
                organization,
                patient,
                patientIdentifier,
                family,
                device,
                observation,
                observationIdentifier,
                telemetry,
                insertion,
                task,
                condition,
                consent,
                ehr,
                gateway);
    }

    static String clinicalObservation(String patient, String identifier) {
        return """
                {"resourceType":"Observation","status":"final",
                 "identifier":[{"system":"https://mcs-fhir.org/fhir/sid/it-obs","value":"%s"}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"2524-7"}]},
                 "subject":{"reference":"Patient/%s"},
                 "valueQuantity":{"value":6.1,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}}""".formatted(identifier, patient);
    }

    /**
     * A telemetry summary: the device-telemetry category (what the gateway's rules look at) without being a raw
     * window, so the test data need not satisfy the mcs-pump-telemetry profile (validation is not under test here).
     */
    static String telemetryObservation(String patient, String device, String identifier) {
        return """
                {"resourceType":"Observation","status":"final",
                 "identifier":[{"system":"https://mcs-fhir.org/fhir/sid/telemetry-summary","value":"%s"}],
                 "category":[{"coding":[{"system":"%s","code":"device-telemetry"}]}],
                 "code":{"text":"pump flow"},
                 "subject":{"reference":"Patient/%s"},"device":{"reference":"Device/%s"},
                 "valueQuantity":{"value":3.2,"unit":"L/min","system":"http://unitsofmeasure.org","code":"L/min"}}""".formatted(identifier, TELEMETRY_CATEGORY, patient, device);
    }

    /**
     * A pump insertion with just what {@code $registry-case} needs (the security server validates in warn mode); the
     * centre comes from the patient's managingOrganization.
     */
    static String insertion(String patient, String device) {
        return """
                {"resourceType":"Procedure","status":"completed",
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"232967006"}]},
                 "subject":{"reference":"Patient/%s"},
                 "performedPeriod":{"start":"2026-03-10T14:20:00Z"},
                 "focalDevice":[{"manipulated":{"reference":"Device/%s"}}]}""".formatted(patient, device);
    }

    /** A worklist Task: owned by the centre, about its patient (Task is not in HAPI's R4 Patient compartment). */
    static String task(String patient, String organization) {
        return """
                {"resourceType":"Task","status":"requested","intent":"order",
                 "for":{"reference":"Patient/%s"},"owner":{"reference":"Organization/%s"}}""".formatted(patient, organization);
    }

    /** A complication of the insertion (the guide's condition category). */
    static String condition(String patient) {
        return """
                {"resourceType":"Condition",
                 "category":[{"coding":[{"system":"https://mcs-fhir.org/fhir/CodeSystem/mcs-condition-category-cs",
                   "code":"complication"}]}],
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"131148009"}]},
                 "subject":{"reference":"Patient/%s"},"onsetDateTime":"2026-03-11T08:00:00Z"}""".formatted(patient);
    }

    /** The patient's consent to the registry, naming the insertion it covers. */
    static String consent(String patient, String insertion) {
        return """
                {"resourceType":"Consent","status":"active",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"research"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
                 "patient":{"reference":"Patient/%s"},
                 "provision":{"type":"permit","data":[{"meaning":"related","reference":{"reference":"Procedure/%s"}}]}}""".formatted(patient, insertion);
    }

    static Map<String, Object> registryClaims(boolean identifiable) {
        Map<String, Object> claims = claims("registry", null, "system/*.rs");
        if (identifiable) {
            claims.put("mcs_identifiable_data", true);
        }
        return claims;
    }
}
