package org.mcsfhir.server.worklist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.worklist.WorklistRules.State;

class WorklistRulesTest {

    private static final Instant INSERTED = Instant.parse("2026-03-10T14:20:00Z");
    private static final Duration SUPPORT_MAX = Duration.ofDays(10);
    private static final Duration SILENCE = Duration.ofHours(6);
    private final WorklistRules rules = new WorklistRules(SUPPORT_MAX, SILENCE);

    /** A complete, ongoing case: consent, access site, pump, telemetry just now, no outcomes yet. */
    private static CaseSnapshot complete() {
        return completeUntil(INSERTED, null);
    }

    /** The complete case with its last telemetry sample at {@code last} and support ended ({@code null}: ongoing). */
    private static CaseSnapshot completeUntil(Instant last, String supportEnd) {
        return new CaseSnapshot(
                "Procedure/ins",
                true,
                INSERTED,
                "Patient/p",
                "Organization/c",
                true,
                "Device/pump",
                "Consent/c1",
                List.of(),
                null,
                supportEnd,
                last);
    }

    /** An insertion with nothing recorded yet: no consent, access site, pump, telemetry or outcome. */
    private static CaseSnapshot bare(boolean active) {
        return new CaseSnapshot(
                "Procedure/ins",
                active,
                INSERTED,
                "Patient/p",
                "Organization/c",
                false,
                null,
                null,
                List.of(),
                null,
                null,
                null);
    }

    private static CaseSnapshot withVitalStatuses(CaseSnapshot c, CaseSnapshot.VitalStatus... statuses) {
        return new CaseSnapshot(
                c.insertionRef(),
                c.active(),
                c.start(),
                c.patientRef(),
                c.centreRef(),
                c.accessSite(),
                c.deviceRef(),
                c.consentRef(),
                List.of(statuses),
                c.death(),
                "Procedure/removal",
                c.lastTelemetry());
    }

    private WorklistRules.Verdict verdict(WorklistItem item, CaseSnapshot c, Instant now) {
        return rules.evaluate(c, now).get(item);
    }

    @Nested
    class FollowUp {

        private final Instant due30 = INSERTED.plus(Duration.ofDays(30));

        @Test
        void thirtyDayFollowUp_opensExactlyAtDay30_notOneSecondBefore() {
            CaseSnapshot c = withVitalStatuses(complete());
            assertThat(verdict(WorklistItem.OVERDUE_FOLLOW_UP_30D, c, due30.minusSeconds(1))
                            .state())
                    .isEqualTo(State.NOT_APPLICABLE);
            WorklistRules.Verdict atDue = verdict(WorklistItem.OVERDUE_FOLLOW_UP_30D, c, due30);
            assertThat(atDue.state()).isEqualTo(State.OPEN);
            assertThat(atDue.due()).isEqualTo(due30);
        }

        @Test
        void vitalStatusForThePoint_satisfiesIt_evenWhenRecordedEarly() {
            CaseSnapshot c = withVitalStatuses(
                    complete(),
                    new CaseSnapshot.VitalStatus("Observation/vs30", "30d", INSERTED.plus(Duration.ofDays(29))));
            WorklistRules.Verdict v = verdict(WorklistItem.OVERDUE_FOLLOW_UP_30D, c, due30.plus(Duration.ofDays(10)));
            assertThat(v.state()).isEqualTo(State.SATISFIED);
            assertThat(v.resourceRef()).isEqualTo("Observation/vs30");
        }

        @Test
        void vitalStatusWithoutPoint_countsFromItsDueDayOn() {
            Instant after = INSERTED.plus(Duration.ofDays(200));
            CaseSnapshot dayBefore = withVitalStatuses(
                    complete(),
                    new CaseSnapshot.VitalStatus("Observation/x", null, Instant.parse("2026-09-05T23:59:00Z")));
            CaseSnapshot dueDay = withVitalStatuses(
                    complete(),
                    new CaseSnapshot.VitalStatus("Observation/x", null, Instant.parse("2026-09-06T00:00:00Z")));
            assertThat(verdict(WorklistItem.OVERDUE_FOLLOW_UP_180D, dayBefore, after)
                            .state())
                    .isEqualTo(State.OPEN);
            assertThat(verdict(WorklistItem.OVERDUE_FOLLOW_UP_180D, dueDay, after)
                            .state())
                    .isEqualTo(State.SATISFIED);
        }

        @Test
        void laterVitalStatus_answersEarlierPoints() {
            CaseSnapshot c = withVitalStatuses(
                    complete(),
                    new CaseSnapshot.VitalStatus("Observation/vs1y", "1y", INSERTED.plus(Duration.ofDays(366))));
            Instant now = INSERTED.plus(Duration.ofDays(400));
            assertThat(verdict(WorklistItem.OVERDUE_FOLLOW_UP_30D, c, now).state())
                    .isEqualTo(State.SATISFIED);
            assertThat(verdict(WorklistItem.OVERDUE_FOLLOW_UP_180D, c, now).state())
                    .isEqualTo(State.SATISFIED);
            assertThat(verdict(WorklistItem.OVERDUE_FOLLOW_UP_1Y, c, now).state())
                    .isEqualTo(State.SATISFIED);
        }

        @Test
        void deathBeforeTheDueDate_answersTheFollowUp_deathAfterItDoesNot() {
            CaseSnapshot c = complete();
            CaseSnapshot died = new CaseSnapshot(
                    c.insertionRef(),
                    true,
                    INSERTED,
                    c.patientRef(),
                    c.centreRef(),
                    true,
                    c.deviceRef(),
                    c.consentRef(),
                    List.of(),
                    new CaseSnapshot.Death("Patient/p", INSERTED.plus(Duration.ofDays(40))),
                    "Observation/outcome",
                    null);
            Instant now = INSERTED.plus(Duration.ofDays(400));
            assertThat(verdict(WorklistItem.OVERDUE_FOLLOW_UP_30D, died, now).state())
                    .isEqualTo(State.OPEN);
            WorklistRules.Verdict v180 = verdict(WorklistItem.OVERDUE_FOLLOW_UP_180D, died, now);
            assertThat(v180.state()).isEqualTo(State.SATISFIED);
            assertThat(v180.resourceRef()).isEqualTo("Patient/p");
        }

        @Test
        void oneYear_isDue365DaysAfterInsertion() {
            Instant due = INSERTED.plus(Duration.ofDays(365));
            CaseSnapshot c = withVitalStatuses(complete());
            assertThat(verdict(WorklistItem.OVERDUE_FOLLOW_UP_1Y, c, due.minusSeconds(1))
                            .state())
                    .isEqualTo(State.NOT_APPLICABLE);
            assertThat(verdict(WorklistItem.OVERDUE_FOLLOW_UP_1Y, c, due).state())
                    .isEqualTo(State.OPEN);
        }
    }

    @Nested
    class Insertion {

        @Test
        void completeCase_hasNothingOpenOnTheDayOfInsertion() {
            assertThat(rules.evaluate(complete(), INSERTED.plusSeconds(60)).values())
                    .noneMatch(v -> v.state() == State.OPEN);
        }

        @Test
        void missingConsentAccessSiteAndDevice_areOpenFromTheInsertion() {
            CaseSnapshot c = bare(true);
            var verdicts = rules.evaluate(c, INSERTED);
            for (WorklistItem item : List.of(
                    WorklistItem.MISSING_CONSENT, WorklistItem.MISSING_ACCESS_SITE, WorklistItem.MISSING_DEVICE)) {
                assertThat(verdicts.get(item).state()).as(item.code).isEqualTo(State.OPEN);
                assertThat(verdicts.get(item).due()).as(item.code).isEqualTo(INSERTED);
            }
        }

        @Test
        void consentRecorded_satisfiesMissingConsent_namingTheConsent() {
            WorklistRules.Verdict v = verdict(WorklistItem.MISSING_CONSENT, complete(), INSERTED);
            assertThat(v.state()).isEqualTo(State.SATISFIED);
            assertThat(v.resourceRef()).isEqualTo("Consent/c1");
        }

        @Test
        void inactiveInsertion_hasNoOpenItem() {
            CaseSnapshot c = bare(false);
            assertThat(rules.evaluate(c, INSERTED.plus(Duration.ofDays(400))).values())
                    .allMatch(v -> v.state() == State.NOT_APPLICABLE);
        }
    }

    @Nested
    class Support {

        @Test
        void supportNotEnded_opensAtTheConfiguredDuration() {
            Instant due = INSERTED.plus(SUPPORT_MAX);
            assertThat(verdict(WorklistItem.SUPPORT_NOT_ENDED, complete(), due.minusSeconds(1))
                            .state())
                    .isEqualTo(State.NOT_APPLICABLE);
            WorklistRules.Verdict v = verdict(WorklistItem.SUPPORT_NOT_ENDED, complete(), due);
            assertThat(v.state()).isEqualTo(State.OPEN);
            assertThat(v.due()).isEqualTo(due);
        }

        @Test
        void recordedEndOfSupport_satisfiesIt() {
            CaseSnapshot ended = withVitalStatuses(complete());
            WorklistRules.Verdict v =
                    verdict(WorklistItem.SUPPORT_NOT_ENDED, ended, INSERTED.plus(Duration.ofDays(30)));
            assertThat(v.state()).isEqualTo(State.SATISFIED);
            assertThat(v.resourceRef()).isEqualTo("Procedure/removal");
        }

        @Test
        void configuredDurationIsHonoured() {
            WorklistRules shortSupport = new WorklistRules(Duration.ofDays(4), SILENCE);
            assertThat(shortSupport
                            .evaluate(complete(), INSERTED.plus(Duration.ofDays(4)))
                            .get(WorklistItem.SUPPORT_NOT_ENDED)
                            .state())
                    .isEqualTo(State.OPEN);
        }
    }

    @Nested
    class Telemetry {

        private CaseSnapshot lastSampleAt(Instant last, String supportEnd) {
            return completeUntil(last, supportEnd);
        }

        @Test
        void silentPump_opensWhenTheSilenceReachesTheThreshold() {
            Instant last = INSERTED.plus(Duration.ofHours(20));
            assertThat(verdict(
                                    WorklistItem.TELEMETRY_SILENT,
                                    lastSampleAt(last, null),
                                    last.plus(SILENCE).minusSeconds(1))
                            .state())
                    .isEqualTo(State.SATISFIED);
            WorklistRules.Verdict v =
                    verdict(WorklistItem.TELEMETRY_SILENT, lastSampleAt(last, null), last.plus(SILENCE));
            assertThat(v.state()).isEqualTo(State.OPEN);
            assertThat(v.due()).isEqualTo(last.plus(SILENCE));
        }

        @Test
        void resumedTelemetry_satisfiesIt_namingThePump() {
            Instant now = INSERTED.plus(Duration.ofDays(2));
            WorklistRules.Verdict v =
                    verdict(WorklistItem.TELEMETRY_SILENT, lastSampleAt(now.minusSeconds(5), null), now);
            assertThat(v.state()).isEqualTo(State.SATISFIED);
            assertThat(v.resourceRef()).isEqualTo("Device/pump");
        }

        @Test
        void pumpThatNeverReported_orIsRemoved_isNotFlagged() {
            Instant now = INSERTED.plus(Duration.ofDays(3));
            assertThat(verdict(WorklistItem.TELEMETRY_SILENT, lastSampleAt(null, null), now)
                            .state())
                    .isEqualTo(State.NOT_APPLICABLE);
            assertThat(verdict(WorklistItem.TELEMETRY_SILENT, lastSampleAt(INSERTED, "Procedure/removal"), now)
                            .state())
                    .isEqualTo(State.NOT_APPLICABLE);
        }
    }
}
