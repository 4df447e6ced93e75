package org.mcsfhir.server.worklist;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;

/**
 * Decides, for one insertion at one instant, which worklist items are open, satisfied (and by which resource) or do
 * not apply. Pure: no storage, no clock of its own, so each boundary can be tested to the second.
 */
final class WorklistRules {

    enum State {
        /** The data is missing and due: a Task must be open. */
        OPEN,
        /** The data is there: an open Task is completed, naming {@link Verdict#resourceRef}. */
        SATISFIED,
        /** Nothing is asked (not due yet, support ended...): an open Task is cancelled with the reason. */
        NOT_APPLICABLE
    }

    /**
     * @param due when the data became (or becomes) due; the Task's {@code executionPeriod.start}
     * @param resourceRef for SATISFIED: the resource that supplied the data
     * @param text for OPEN the Task's description; otherwise why it is closed
     */
    record Verdict(State state, Instant due, String resourceRef, String text) {

        static Verdict open(Instant due, String text) {
            return new Verdict(State.OPEN, due, null, text);
        }

        static Verdict satisfied(String resourceRef, String text) {
            return new Verdict(State.SATISFIED, null, resourceRef, text);
        }

        static Verdict notApplicable(String text) {
            return new Verdict(State.NOT_APPLICABLE, null, null, text);
        }
    }

    private final Duration supportMaxDuration;
    private final Duration telemetrySilence;

    WorklistRules(Duration supportMaxDuration, Duration telemetrySilence) {
        this.supportMaxDuration = supportMaxDuration;
        this.telemetrySilence = telemetrySilence;
    }

    Map<WorklistItem, Verdict> evaluate(CaseSnapshot c, Instant now) {
        Map<WorklistItem, Verdict> verdicts = new EnumMap<>(WorklistItem.class);
        for (WorklistItem item : WorklistItem.values()) {
            verdicts.put(
                    item,
                    c.active()
                            ? evaluate(item, c, now)
                            : Verdict.notApplicable(
                                    "The insertion is no longer active (entered in error or not done)"));
        }
        return verdicts;
    }

    private Verdict evaluate(WorklistItem item, CaseSnapshot c, Instant now) {
        if (item.isFollowUp()) {
            return followUp(item, c, now);
        }
        return switch (item) {
            case MISSING_CONSENT ->
                c.consentRef() != null
                        ? Verdict.satisfied(c.consentRef(), "Consent recorded")
                        : Verdict.open(
                                seconds(c.start()),
                                "No enhanced informed consent record for the insertion of " + c.start());
            case MISSING_ACCESS_SITE ->
                c.accessSite()
                        ? Verdict.satisfied(c.insertionRef(), "Access site recorded on the insertion")
                        : Verdict.open(
                                seconds(c.start()), "The insertion of " + c.start() + " has no access site (bodySite)");
            case MISSING_DEVICE ->
                c.deviceRef() != null
                        ? Verdict.satisfied(c.deviceRef(), "Pump recorded on the insertion")
                        : Verdict.open(
                                seconds(c.start()), "The insertion of " + c.start() + " names no pump (focalDevice)");
            case SUPPORT_NOT_ENDED -> supportNotEnded(c, now);
            case TELEMETRY_SILENT -> telemetrySilent(c, now);
            default -> throw new IllegalStateException("no rule for " + item);
        };
    }

    /**
     * Due {@code days} after the insertion. Answered by a vital status for that point, by any vital status observed on
     * or after the due day (a later status implies the earlier one), or by a death recorded before the due date (the
     * answer is then "dead").
     */
    private static Verdict followUp(WorklistItem item, CaseSnapshot c, Instant now) {
        Instant due = seconds(c.start().plus(item.days, ChronoUnit.DAYS));
        for (CaseSnapshot.VitalStatus status : c.vitalStatuses()) {
            if (item.followUpPoint.equals(status.followUpPoint())) {
                return Verdict.satisfied(status.ref(), "Vital status at " + item.followUpPoint + " recorded");
            }
        }
        for (CaseSnapshot.VitalStatus status : c.vitalStatuses()) {
            if (status.effective() != null && !day(status.effective()).isBefore(day(due))) {
                return Verdict.satisfied(status.ref(), "Vital status recorded on or after the follow-up date");
            }
        }
        if (c.death() != null && c.death().time() != null && !c.death().time().isAfter(due)) {
            return Verdict.satisfied(c.death().ref(), "The patient died before the follow-up date");
        }
        if (now.isBefore(due)) {
            return Verdict.notApplicable("Not due before " + due);
        }
        return Verdict.open(
                due,
                "No vital status " + item.days + " days after the insertion of " + c.start() + " (due " + due + ")");
    }

    private Verdict supportNotEnded(CaseSnapshot c, Instant now) {
        if (c.supportEndRef() != null) {
            return Verdict.satisfied(c.supportEndRef(), "End of support recorded");
        }
        Instant due = seconds(c.start().plus(supportMaxDuration));
        if (now.isBefore(due)) {
            return Verdict.notApplicable("Support may go on until " + due);
        }
        return Verdict.open(
                due,
                "Neither a removal nor a support outcome recorded " + supportMaxDuration.toDays()
                        + " days after the insertion of " + c.start());
    }

    /** Only for a pump that has reported before: a centre without a telemetry gateway is not flagged forever. */
    private Verdict telemetrySilent(CaseSnapshot c, Instant now) {
        if (c.supportEndRef() != null) {
            return Verdict.notApplicable("Support has ended: the pump is no longer implanted");
        }
        if (c.deviceRef() == null || c.lastTelemetry() == null) {
            return Verdict.notApplicable("The pump has not sent telemetry");
        }
        Instant due = seconds(c.lastTelemetry().plus(telemetrySilence));
        if (now.isBefore(due)) {
            return Verdict.satisfied(c.deviceRef(), "Telemetry received at " + c.lastTelemetry());
        }
        return Verdict.open(
                due,
                "No telemetry from " + c.deviceRef() + " since " + c.lastTelemetry()
                        + " although support has not ended");
    }

    /** FHIR dateTimes are stored to the second: compare what will be stored. */
    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    private static LocalDate day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
