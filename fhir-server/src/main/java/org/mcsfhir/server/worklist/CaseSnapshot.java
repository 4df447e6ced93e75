package org.mcsfhir.server.worklist;

import java.time.Instant;
import java.util.List;

/**
 * What the worklist rules need to know about one insertion, as plain values (references are {@code Type/id}), so the
 * rules can be tested without a server.
 *
 * @param insertionRef {@code Procedure/<id>}
 * @param active false when the insertion is {@code entered-in-error} or {@code not-done}: nothing is asked of it
 * @param start when the pump was inserted ({@code performed[x]} start)
 * @param centreRef the implanting centre that owns the items: the patient's managing organization
 *     ({@code RecordCentre}); null if none is known
 * @param accessSite whether {@code bodySite} is recorded
 * @param deviceRef the pump ({@code focalDevice.manipulated}) if it is the patient's and centre's
 *     ({@code CaseEvidence.isPumpOf}); null if none
 * @param consentRef an enhanced consent for the insertion; null if none
 * @param vitalStatuses the vital-status Observations about the insertion
 * @param death the earliest record that the patient died; null if none
 * @param supportEndRef the removal Procedure or support-outcome Observation; null while support goes on
 * @param lastTelemetry newest console sample of the pump; null if it never sent one
 */
record CaseSnapshot(
        String insertionRef,
        boolean active,
        Instant start,
        String patientRef,
        String centreRef,
        boolean accessSite,
        String deviceRef,
        String consentRef,
        List<VitalStatus> vitalStatuses,
        Death death,
        String supportEndRef,
        Instant lastTelemetry) {

    /** A vital status: its follow-up point code (may be null) and the instant it was observed. */
    record VitalStatus(String ref, String followUpPoint, Instant effective) {}

    /** The patient died at {@code time} (or by then), as recorded by {@code ref}. */
    record Death(String ref, Instant time) {}
}
