package org.mcsfhir.server.outcomes;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pump insertion reduced to what the audit counts. Days are whole UTC calendar days from the insertion start
 * (time zero), so a 30-day vital status dated 30 calendar days later is at day 30.
 *
 * @param insertionId the Procedure id
 * @param centre {@code Organization/<id>}, the patient's managingOrganization ({@code RecordCentre}), or null
 * @param insertionDate UTC date of the insertion start
 * @param strata stratifier code → stratum code (see {@link Stratification})
 * @param deathDay day of death when known and not after the reference date, else null
 * @param lastKnownAliveDay the latest day with evidence the patient was alive (at least 0)
 * @param dueDays days from time zero to the reference date: follow-up points beyond it are not due yet
 * @param complications every complication attributed to this insertion
 * @param supportEnd how support ended (mcs-support-end-cs code), or null when not recorded
 * @param qualityOfLife "measure|follow-up point" (e.g. {@code eq5d-index|180d}) → score
 * @param evidence evidence items present (completeness codes, e.g. {@code consent}, {@code vital-status-30d})
 */
record AuditCase(
        String insertionId,
        String centre,
        LocalDate insertionDate,
        Map<String, String> strata,
        Integer deathDay,
        int lastKnownAliveDay,
        int dueDays,
        List<Complication> complications,
        String supportEnd,
        Map<String, Double> qualityOfLife,
        Set<String> evidence) {

    /**
     * A complication: its type ({@code mcs-audit-cs}, e.g. {@code complication-bleeding}, the stem of its group codes),
     * onset day and BARC type when bleeding.
     */
    record Complication(String type, int onsetDay, String barc) {}

    /** Survival time for Kaplan–Meier: death day, else censored at the last day known alive. */
    KaplanMeier.Observation survival() {
        return deathDay != null
                ? new KaplanMeier.Observation(deathDay, true)
                : new KaplanMeier.Observation(Math.min(lastKnownAliveDay, dueDays), false);
    }
}
