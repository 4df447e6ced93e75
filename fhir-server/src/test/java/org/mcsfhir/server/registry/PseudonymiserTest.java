package org.mcsfhir.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.guide.GuideCodes;

class PseudonymiserTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final byte[] SECRET = "a-test-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8);
    private static final Date INSERTED = Date.from(Instant.parse("2026-03-10T14:20:00Z"));

    @Test
    void noIdentifyingValueSurvives_andClinicalDatesStay() {
        Bundle bundle = identifiableCase();
        new Pseudonymiser(SECRET, FHIR).pseudonymise(bundle, INSERTED, "http://x/fhir");
        String json = FHIR.newJsonParser().encodeResourceToString(bundle);

        assertThat(json)
                .doesNotContain(
                        "9990000018",
                        "NUH1234567",
                        "Hartley",
                        "Joan",
                        "1967-09-14",
                        "0115 999",
                        "Nottingham",
                        "Dr Operator",
                        "GMC1234",
                        "pat-1",
                        "ins-1",
                        "free text about Joan");
        assertThat(json).contains("2026-03-10T14:20:00Z").contains("2026-05-01T10:00:00Z");
        Patient patient = (Patient) bundle.getEntryFirstRep().getResource();
        assertThat(patient.getGender()).isEqualTo(Enumerations.AdministrativeGender.FEMALE);
        assertThat(patient.getBirthDateElement().getValue()).isNull();
        assertThat(patient.getBirthDateElement().getExtensionByUrl(GuideCodes.DATA_ABSENT_REASON_EXTENSION))
                .isNotNull();
        Age age = (Age)
                patient.getExtensionByUrl(GuideCodes.AGE_AT_INSERTION_EXTENSION).getValue();
        assertThat(age.getValue()).isEqualByComparingTo("58");
        assertThat(patient.getIdentifier())
                .singleElement()
                .satisfies(i -> assertThat(i.getSystem()).isEqualTo(GuideCodes.REGISTRY_PSEUDONYM_IDENTIFIER_SYSTEM));
        assertThat(((DateTimeType) patient.getDeceased()).getValueAsString()).isEqualTo("2026-05-01T10:00:00Z");
    }

    @Test
    void referencesFollowTheNewIds_andFullUrlsMatch() {
        Bundle bundle = identifiableCase();
        new Pseudonymiser(SECRET, FHIR).pseudonymise(bundle, INSERTED, "http://x/fhir");
        Patient patient = (Patient) bundle.getEntry().get(0).getResource();
        Procedure insertion = (Procedure) bundle.getEntry().get(3).getResource();
        assertThat(insertion.getSubject().getReference())
                .isEqualTo("Patient/" + patient.getIdElement().getIdPart());
        assertThat(insertion.getSubject().getDisplay()).isNull();
        assertThat(bundle.getEntry().get(0).getFullUrl()).isEqualTo("http://x/fhir/Patient/" + patient.getIdPart());
        assertThat(bundle.getIdentifier().getValue())
                .isEqualTo(insertion.getIdElement().getIdPart());
        Observation window = (Observation) bundle.getEntry().get(4).getResource();
        Device pump = (Device) bundle.getEntry().get(2).getResource();
        assertThat(window.getIdentifierFirstRep().getValue())
                .isEqualTo(pump.getIdElement().getIdPart() + "/pump-flow/1773154800");
    }

    @Test
    void pseudonymIsKeyed_sameKeySameValue_otherKeyOtherValue() {
        Pseudonymiser one = new Pseudonymiser(SECRET, FHIR);
        Pseudonymiser again = new Pseudonymiser(SECRET, FHIR);
        Pseudonymiser other = new Pseudonymiser("another-deployment-secret-32-chars-long".getBytes(), FHIR);
        assertThat(one.pseudonym("Patient/pat-1"))
                .matches("[0-9a-f]{64}")
                .isEqualTo(again.pseudonym("Patient/pat-1"))
                .isNotEqualTo(other.pseudonym("Patient/pat-1"))
                .isNotEqualTo(one.pseudonym("Patient/pat-2"));
    }

    @Test
    void forcedByRegistryAccess_evenWhenTheClientDoesNotAsk() {
        RegistryCaseAssembler stub =
                new RegistryCaseAssembler(
                        null, null, null, Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC)) {
                    @Override
                    Case collect(String insertionId, boolean includeTelemetry) {
                        Bundle b = identifiableCase();
                        Procedure insertion = (Procedure) b.getEntry().get(3).getResource();
                        return new Case(
                                insertion,
                                (Patient) b.getEntry().get(0).getResource(),
                                (Organization) b.getEntry().get(1).getResource(),
                                List.of(),
                                (Device) b.getEntry().get(2).getResource(),
                                null,
                                List.of(),
                                Map.of(),
                                List.of(),
                                List.of(),
                                List.of(),
                                insertion.getPerformedPeriod().getStart());
                    }
                };
        var request = new SystemRequestDetails();
        request.setFhirServerBase("http://x/fhir");
        RegistryCaseProvider forced = new RegistryCaseProvider(stub, new Pseudonymiser(SECRET, FHIR), r -> true);
        RegistryCaseProvider byDefault =
                new RegistryCaseProvider(stub, new Pseudonymiser(SECRET, FHIR), RegistryConfig.ONLY_WHEN_ASKED);

        String forcedJson = FHIR.newJsonParser()
                .encodeResourceToString(forced.registryCase(new IdType("Procedure/ins-1"), null, null, request));
        String defaultJson = FHIR.newJsonParser()
                .encodeResourceToString(byDefault.registryCase(new IdType("Procedure/ins-1"), null, null, request));

        assertThat(forcedJson).doesNotContain("9990000018", "Hartley");
        assertThat(defaultJson).contains("9990000018", "Hartley");
    }

    static Bundle identifiableCase() {
        Organization centre = new Organization();
        centre.setId("centre-1");
        centre.setName("Example Centre");
        centre.addTelecom(new ContactPoint().setValue("0115 999 0000"));
        centre.addAddress().setCity("Nottingham");

        Patient patient = new Patient();
        patient.setId("pat-1");
        patient.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED));
        patient.getText().setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Joan Hartley 9990000018</div>");
        patient.addIdentifier(
                new Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9990000018"));
        patient.addIdentifier(new Identifier().setSystem("urn:mrn").setValue("NUH1234567"));
        patient.addName().setFamily("Hartley").addGiven("Joan");
        patient.addTelecom(new ContactPoint().setValue("0115 999 1234"));
        patient.addAddress().setCity("Nottingham");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1967-09-14"));
        patient.setDeceased(new DateTimeType("2026-05-01T10:00:00Z"));
        patient.setManagingOrganization(new Reference("Organization/centre-1").setDisplay("Example Centre"));

        Practitioner operator = new Practitioner();
        operator.setId("op-1");
        operator.addIdentifier(new Identifier()
                .setSystem("https://fhir.hl7.org.uk/Id/gmc-number")
                .setValue("GMC1234"));
        operator.addName().setText("Dr Operator");

        Device pump = new Device();
        pump.setId("pump-1");
        pump.setPatient(new Reference("Patient/pat-1").setDisplay("Joan Hartley"));

        Procedure insertion = new Procedure();
        insertion.setId("ins-1");
        insertion.getCode().addCoding(new Coding(GuideCodes.SNOMED, GuideCodes.INSERTION_CODE, null));
        insertion.setSubject(new Reference("Patient/pat-1").setDisplay("Joan Hartley"));
        insertion.setPerformed(new Period().setStartElement(new DateTimeType("2026-03-10T14:20:00Z")));
        insertion.addPerformer().setActor(new Reference("Practitioner/op-1").setDisplay("Dr Operator"));
        insertion.addNote(new Annotation().setText("free text about Joan"));
        insertion.addExtension(new Extension("urn:x", new Reference("RelatedPerson/rp-1").setDisplay("Hartley")));

        Observation window = TelemetrySummariesTest.window(
                "pump-flow", "L/min", Instant.parse("2026-03-10T15:00:00Z").toEpochMilli(), "300", 0.01);
        window.setSubject(new Reference("Patient/pat-1"));
        window.getPartOf().clear();
        window.addPartOf(new Reference("Procedure/ins-1"));
        window.addIdentifier()
                .setSystem(GuideCodes.TELEMETRY_WINDOW_IDENTIFIER_SYSTEM)
                .setValue("pump-1/pump-flow/1773154800");
        window.setCode(new CodeableConcept(new Coding(GuideCodes.TELEMETRY_CHANNEL_SYSTEM, "pump-flow", "Pump flow")));

        Bundle bundle = new Bundle();
        bundle.getIdentifier()
                .setSystem(GuideCodes.REGISTRY_CASE_IDENTIFIER_SYSTEM)
                .setValue("ins-1");
        for (var resource : List.of(patient, centre, pump, insertion, window, operator)) {
            bundle.addEntry()
                    .setFullUrl("http://x/fhir/" + resource.fhirType() + "/" + resource.getIdPart())
                    .setResource(resource);
        }
        return bundle;
    }
}
