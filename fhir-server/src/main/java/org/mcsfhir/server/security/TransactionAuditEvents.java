package org.mcsfhir.server.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Coding;

/**
 * The AuditEvents raised inside one database transaction, merged per patient: one AuditEvent per (action, outcome,
 * interaction, agents, request id, patient) that lists every resource of that group as a data entity. A transaction
 * Bundle is one REST interaction (subtype {@code transaction}); HAPI's BALP interceptor records one event per
 * resource it writes, which made storing the trail cost more than the writes themselves. Merged per patient, each
 * event still names exactly one patient, as BALP's patient-specific patterns require, and every written resource is
 * still an {@code entity} ({@code AuditEvent?entity=Observation/5} finds it). A lone event is kept as recorded.
 */
final class TransactionAuditEvents {

    /** BALP's entity role {@code 1 Patient} (object-role). */
    private static final String PATIENT_ROLE = "1";

    private final Map<String, AuditEvent> byGroup = new LinkedHashMap<>();
    private final Map<String, Integer> sizes = new LinkedHashMap<>();

    void add(AuditEvent event) {
        String group = group(event);
        AuditEvent merged = byGroup.get(group);
        if (merged == null) {
            byGroup.put(group, event);
            sizes.put(group, 1);
            return;
        }
        if (sizes.get(group) == 1) {
            merged = merged.copy();
            // BALP's create/update/delete profiles allow one data entity; a merged event does not claim them
            merged.getMeta().getProfile().clear();
            byGroup.put(group, merged);
        }
        for (AuditEventEntityComponent entity : event.getEntity()) {
            if (!isPatient(entity) && !isRequestId(entity)) {
                merged.addEntity(entity);
            }
        }
        if (event.hasRecorded() && merged.hasRecorded() && event.getRecorded().before(merged.getRecorded())) {
            merged.setRecorded(event.getRecorded());
        }
        sizes.merge(group, 1, Integer::sum);
    }

    /** One event per group, in the order the groups were first seen. */
    List<AuditEvent> merged() {
        return new ArrayList<>(byGroup.values());
    }

    private static String group(AuditEvent event) {
        StringBuilder key = new StringBuilder()
                .append(event.getAction())
                .append('|')
                .append(event.getOutcome())
                .append('|');
        event.getSubtype().forEach(coding -> key.append(code(coding)).append(','));
        key.append('|');
        event.getAgent()
                .forEach(agent -> key.append(agent.getWho().getReference())
                        .append('/')
                        .append(agent.getWho().getIdentifier().getValue())
                        .append('/')
                        .append(agent.getNetwork().getAddress())
                        .append(','));
        key.append('|');
        TreeSet<String> patients = new TreeSet<>();
        for (AuditEventEntityComponent entity : event.getEntity()) {
            if (isPatient(entity)) {
                patients.add(entity.getWhat().getReference());
            } else if (isRequestId(entity)) {
                key.append(entity.getWhat().getIdentifier().getValue());
            }
        }
        return key.append('|').append(patients).toString();
    }

    private static String code(Coding coding) {
        return coding.getSystem() + "#" + coding.getCode();
    }

    private static boolean isPatient(AuditEventEntityComponent entity) {
        return Objects.equals(entity.getRole().getCode(), PATIENT_ROLE);
    }

    private static boolean isRequestId(AuditEventEntityComponent entity) {
        return Objects.equals(entity.getType().getCode(), "XrequestId");
    }
}
