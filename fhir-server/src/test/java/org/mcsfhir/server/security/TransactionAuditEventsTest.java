package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.junit.jupiter.api.Test;

class TransactionAuditEventsTest {

    private static final String PROFILE =
            "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientCreate";

    @Test
    void theWritesOfOnePatientInOneTransactionBecomeOneEventNamingEveryResource() {
        TransactionAuditEvents events = new TransactionAuditEvents();
        events.add(create("Patient/1", "Patient/1"));
        events.add(create("Observation/2", "Patient/1"));
        events.add(create("Condition/3", "Patient/1"));

        List<AuditEvent> merged = events.merged();

        assertThat(merged).hasSize(1);
        assertThat(whats(merged.get(0)))
                .containsExactly("request-1", "Patient/1", "Patient/1", "Observation/2", "Condition/3");
        assertThat(merged.get(0).getMeta().getProfile())
                .as("BALP's create profiles allow one data entity")
                .isEmpty();
    }

    @Test
    void eachPatientKeepsItsOwnEvent() {
        TransactionAuditEvents events = new TransactionAuditEvents();
        events.add(create("Observation/2", "Patient/1"));
        events.add(create("Observation/3", "Patient/9"));
        events.add(create("Observation/4", "Patient/1"));

        List<AuditEvent> merged = events.merged();

        assertThat(merged).hasSize(2);
        assertThat(whats(merged.get(0))).containsExactly("request-1", "Observation/2", "Patient/1", "Observation/4");
        assertThat(whats(merged.get(1))).containsExactly("request-1", "Observation/3", "Patient/9");
    }

    @Test
    void differentActionsOrOutcomesAreNotMerged() {
        TransactionAuditEvents events = new TransactionAuditEvents();
        events.add(create("Observation/2", "Patient/1"));
        AuditEvent update = create("Observation/3", "Patient/1").setAction(AuditEvent.AuditEventAction.U);
        events.add(update);
        AuditEvent failed = create("Observation/4", "Patient/1").setOutcome(AuditEvent.AuditEventOutcome._4);
        events.add(failed);

        assertThat(events.merged()).hasSize(3);
    }

    @Test
    void aLoneEventIsKeptAsRecorded() {
        TransactionAuditEvents events = new TransactionAuditEvents();
        AuditEvent lone = create("Observation/2", "Patient/1");
        events.add(lone);

        assertThat(events.merged()).containsExactly(lone);
        assertThat(lone.getMeta().getProfile()).hasSize(1);
    }

    /** Shaped as HAPI's BALP interceptor shapes a create inside a transaction Bundle. */
    private static AuditEvent create(String resource, String patient) {
        AuditEvent event = new AuditEvent();
        event.getMeta().addProfile(PROFILE);
        event.setAction(AuditEvent.AuditEventAction.C).setOutcome(AuditEvent.AuditEventOutcome._0);
        event.addSubtype().setSystem("http://hl7.org/fhir/restful-interaction").setCode("transaction");
        event.addAgent()
                .getWho()
                .getIdentifier()
                .setSystem(AuditContext.CLIENT_SYSTEM)
                .setValue("ehr-1");
        event.addAgent().getWho().setReference("Organization/7");
        AuditEventEntityComponent request = event.addEntity();
        request.getType()
                .setSystem("https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType")
                .setCode("XrequestId");
        request.getWhat().getIdentifier().setValue("request-1");
        AuditEventEntityComponent data = event.addEntity();
        data.getRole()
                .setSystem("http://terminology.hl7.org/CodeSystem/object-role")
                .setCode("4");
        data.getWhat().setReference(resource);
        AuditEventEntityComponent subject = event.addEntity();
        subject.getRole()
                .setSystem("http://terminology.hl7.org/CodeSystem/object-role")
                .setCode("1");
        subject.getWhat().setReference(patient);
        return event;
    }

    private static List<String> whats(AuditEvent event) {
        return event.getEntity().stream()
                .map(entity -> entity.getWhat().hasReference()
                        ? entity.getWhat().getReference()
                        : entity.getWhat().getIdentifier().getValue())
                .toList();
    }
}
