package org.mcsfhir.server.cases;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SampledData;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * The attack the features defend against, as resources: centre A's patient P1 has records that point at centre B's
 * insertion I2 of patient P2 (a "dead" vital status, a death-on-support outcome, a removal, a consent, a telemetry
 * window); A's insertion I1 names P2's complication and consent, and its {@code performer.onBehalfOf} names B; A's
 * insertion I3 names P2's pump. I2's own {@code onBehalfOf} names A, so a case's centre can only come from its patient.
 */
public final class CrossCentreCase {

    public static final String SD = GuideCodes.BASE + "StructureDefinition/";
    public static final Instant T0 = Instant.parse("2024-01-10T10:00:00Z");
    public static final String P1 = "Patient/p1";
    public static final String P2 = "Patient/p2";
    public static final String A = "Organization/a";
    public static final String B = "Organization/b";

    private CrossCentreCase() {}

    /** Every resource of the scenario. */
    public static InMemoryDaos daos() {
        return new InMemoryDaos(resources().toArray(Resource[]::new));
    }

    public static List<Resource> resources() {
        Condition bleeding2 = complication("x2", P2);
        Consent consent2 = consent("c2", P2, "Procedure/i2");
        Procedure i1 = insertion("i1", P1, B, "Device/d1");
        i1.addComplicationDetail(new Reference("Condition/x2"));
        i1.addExtension(GuideCodes.CONSENT_EXTENSION, new Reference("Consent/c2"));
        return List.of(
                organization("a"),
                organization("b"),
                patient("p1", A),
                patient("p2", B),
                device("d1", P1, A),
                device("d2", P2, B),
                insertion("i2", P2, A, "Device/d2"),
                i1,
                insertion("i3", P1, A, "Device/d2"),
                bleeding2,
                consent2,
                vitalStatus("dead-1", P1, "Procedure/i2", GuideCodes.DEAD),
                supportOutcome("support-1", P1, "Procedure/i2"),
                removal("removal-1", P1, "Procedure/i2"),
                consent("c1", P1, "Procedure/i2"),
                window("window-1", P1, "Procedure/i2", "Device/d2"));
    }

    /** The ids of P1's records that point at I2, as {@code Type/id}. */
    public static List<String> foreignToI2() {
        return List.of(
                "Observation/dead-1",
                "Observation/support-1",
                "Procedure/removal-1",
                "Consent/c1",
                "Observation/window-1");
    }

    private static Organization organization(String id) {
        Organization organization = new Organization();
        organization.setId(id);
        return organization.setName("Centre " + id);
    }

    private static Patient patient(String id, String centre) {
        Patient patient = new Patient();
        patient.setId(id);
        patient.setGender(AdministrativeGender.FEMALE);
        return patient.setManagingOrganization(new Reference(centre));
    }

    private static Device device(String id, String patient, String owner) {
        Device device = new Device();
        device.setId(id);
        return device.setPatient(new Reference(patient)).setOwner(new Reference(owner));
    }

    private static Procedure insertion(String id, String patient, String onBehalfOf, String device) {
        Procedure procedure = new Procedure();
        procedure.setId(id);
        procedure.getMeta().addProfile(SD + "mcs-pump-insertion");
        procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
        procedure.getCode().addCoding(new Coding(GuideCodes.SNOMED, GuideCodes.INSERTION_CODE, null));
        procedure.setSubject(new Reference(patient));
        procedure.setPerformed(new Period().setStart(Date.from(T0)));
        procedure.addPerformer().setOnBehalfOf(new Reference(onBehalfOf));
        procedure.addFocalDevice().setManipulated(new Reference(device));
        return procedure;
    }

    private static Procedure removal(String id, String patient, String insertion) {
        Procedure procedure = new Procedure();
        procedure.setId(id);
        procedure.getMeta().addProfile(SD + "mcs-pump-removal");
        procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
        procedure.getCode().addCoding(new Coding(GuideCodes.REMOVAL_SYSTEM, GuideCodes.REMOVAL_CODE, null));
        procedure.setSubject(new Reference(patient));
        procedure.addPartOf(new Reference(insertion));
        procedure.setPerformed(new DateTimeType(Date.from(T0.plusSeconds(4 * 86_400L))));
        procedure.addReasonCode(
                new CodeableConcept(new Coding(GuideCodes.SUPPORT_END_SYSTEM, "myocardial-recovery", null)));
        return procedure;
    }

    private static Consent consent(String id, String patient, String insertion) {
        Consent consent = new Consent();
        consent.setId(id);
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setPatient(new Reference(patient));
        consent.getProvision().addData().setReference(new Reference(insertion));
        return consent;
    }

    private static Condition complication(String id, String patient) {
        Condition condition = new Condition();
        condition.setId(id);
        condition.getMeta().addProfile(SD + "mcs-complication");
        condition.addCategory(
                new CodeableConcept(new Coding(GuideCodes.CONDITION_CATEGORY_SYSTEM, "complication", null)));
        condition.getCode().addCoding(new Coding(GuideCodes.SNOMED, "131148009", "Bleeding"));
        condition.setSubject(new Reference(patient));
        condition.setOnset(new DateTimeType(Date.from(T0.plusSeconds(2 * 86_400L))));
        return condition;
    }

    private static Observation vitalStatus(String id, String patient, String insertion, String value) {
        Observation observation = outcome(id, patient, insertion, "mcs-vital-status", "vital-status");
        observation.addExtension(
                GuideCodes.FOLLOW_UP_POINT_EXTENSION,
                new CodeableConcept(new Coding(GuideCodes.BASE + "CodeSystem/mcs-follow-up-point-cs", "30d", null)));
        observation.setEffective(new DateTimeType(Date.from(T0.plusSeconds(20 * 86_400L))));
        return observation.setValue(new CodeableConcept(new Coding(GuideCodes.SNOMED, value, null)));
    }

    private static Observation supportOutcome(String id, String patient, String insertion) {
        Observation observation = outcome(id, patient, insertion, "mcs-support-outcome", "support-outcome");
        observation.setEffective(new DateTimeType(Date.from(T0.plusSeconds(3 * 86_400L))));
        return observation.setValue(
                new CodeableConcept(new Coding(GuideCodes.SUPPORT_END_SYSTEM, GuideCodes.DEATH_ON_SUPPORT, null)));
    }

    private static Observation outcome(String id, String patient, String insertion, String profile, String code) {
        Observation observation = new Observation();
        observation.setId(id);
        observation.getMeta().addProfile(SD + profile);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding(new Coding(GuideCodes.OBSERVATION_CODE_SYSTEM, code, null));
        observation.setSubject(new Reference(patient));
        observation.addFocus(new Reference(insertion));
        return observation;
    }

    private static Observation window(String id, String patient, String insertion, String device) {
        Observation observation = new Observation();
        observation.setId(id);
        observation.getMeta().addProfile(SD + "mcs-pump-telemetry");
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(
                new CodeableConcept(new Coding(GuideCodes.OBSERVATION_CATEGORY_SYSTEM, "device-telemetry", null)));
        observation
                .getCode()
                .addCoding(new Coding(GuideCodes.BASE + "CodeSystem/mcs-telemetry-channel-cs", "pump-flow", null));
        observation.setSubject(new Reference(patient));
        observation.addPartOf(new Reference(insertion));
        observation.setDevice(new Reference(device));
        observation.setEffective(new Period().setStart(Date.from(T0)).setEnd(Date.from(T0.plusSeconds(2))));
        return observation.setValue(new SampledData()
                .setOrigin(new Quantity(0).setUnit("L/min"))
                .setPeriod(1000)
                .setDimensions(1)
                .setData("0.5 0.5"));
    }
}
