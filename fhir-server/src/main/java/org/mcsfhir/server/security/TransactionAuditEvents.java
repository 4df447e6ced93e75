package org.mcsfhir.server.security;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
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
    /** The group of the first successful write event per (action, request id, patients). */
    private final Map<String, String> writeGroups = new HashMap<>();

    void add(AuditEvent event) {
        String group = group(event);
        if (!byGroup.containsKey(group)) {
            byGroup.put(group, event);
            sizes.put(group, 1);
            if (event.getOutcome() == AuditEventOutcome._0) {
                writeGroups.putIfAbsent(writeKey(event.getAction(), requestId(event), patients(event)), group);
            }
            return;
        }
        AuditEvent merged = growing(group);
        for (AuditEventEntityComponent entity : event.getEntity()) {
            if (!isPatient(entity) && !isRequestId(entity)) {
                merged.addEntity(entity);
            }
        }
        if (event.hasRecorded() && merged.hasRecorded() && event.getRecorded().before(merged.getRecorded())) {
            merged.setRecorded(event.getRecorded());
        }
    }

    /**
     * What {@link #add} would do with a successful write event of this request with this data entity, without the
     * event being built: false if no event of that action, request and patients has been added yet. Within one
     * request the other parts of the group (outcome, interaction, agents) are the same.
     */
    boolean join(
            AuditEventAction action, String requestId, Set<String> patients, Supplier<AuditEventEntityComponent> data) {
        String group = writeGroups.get(writeKey(action, requestId, new TreeSet<>(patients)));
        if (group == null) {
            return false;
        }
        growing(group).addEntity(data.get());
        return true;
    }

    /** The group's event, ready to take more entities: on its second member a copy without BALP's profile. */
    private AuditEvent growing(String group) {
        AuditEvent merged = byGroup.get(group);
        if (sizes.merge(group, 1, Integer::sum) == 2) {
            merged = merged.copy();
            // BALP's create/update/delete profiles allow one data entity; a merged event does not claim them
            merged.getMeta().getProfile().clear();
            byGroup.put(group, merged);
        }
        return merged;
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
        return key.append('|')
                .append(requestId(event))
                .append('|')
                .append(patients(event))
                .toString();
    }

    private static String writeKey(AuditEventAction action, String requestId, Set<String> patients) {
        return action + "|" + requestId + "|" + patients;
    }

    private static String requestId(AuditEvent event) {
        StringBuilder ids = new StringBuilder();
        event.getEntity().stream()
                .filter(TransactionAuditEvents::isRequestId)
                .forEach(entity -> ids.append(entity.getWhat().getIdentifier().getValue()));
        return ids.toString();
    }

    private static TreeSet<String> patients(AuditEvent event) {
        TreeSet<String> patients = new TreeSet<>();
        event.getEntity().stream()
                .filter(TransactionAuditEvents::isPatient)
                .forEach(entity -> patients.add(entity.getWhat().getReference()));
        return patients;
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
