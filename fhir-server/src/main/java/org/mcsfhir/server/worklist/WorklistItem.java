package org.mcsfhir.server.worklist;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of missing or overdue data, one per code of {@code mcs-worklist-item-cs}. */
enum WorklistItem {
    OVERDUE_FOLLOW_UP_30D("overdue-follow-up-30d", "Overdue 30-day follow-up", "30d", 30),
    OVERDUE_FOLLOW_UP_180D("overdue-follow-up-180d", "Overdue 180-day follow-up", "180d", 180),
    OVERDUE_FOLLOW_UP_1Y("overdue-follow-up-1y", "Overdue 1-year follow-up", "1y", 365),
    MISSING_CONSENT("missing-consent", "Insertion without consent record", null, 0),
    MISSING_ACCESS_SITE("missing-access-site", "Insertion without access site", null, 0),
    MISSING_DEVICE("missing-device", "Insertion without device", null, 0),
    SUPPORT_NOT_ENDED("support-not-ended", "Support not ended", null, 0),
    TELEMETRY_SILENT("telemetry-silent", "Telemetry silent while implanted", null, 0);

    final String code;
    final String display;
    /** For follow-ups: the mcs-follow-up-point-cs code a vital status carries, and the days after insertion. */
    final String followUpPoint;

    final int days;

    WorklistItem(String code, String display, String followUpPoint, int days) {
        this.code = code;
        this.display = display;
        this.followUpPoint = followUpPoint;
        this.days = days;
    }

    boolean isFollowUp() {
        return followUpPoint != null;
    }

    static Optional<WorklistItem> byCode(String code) {
        return Arrays.stream(values()).filter(i -> i.code.equals(code)).findFirst();
    }
}
