package org.mcsfhir.server.worklist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorklistReconcilerIdsTest {

    @Test
    void taskId_isReadableWhenItFits_andDeterministic() {
        assertThat(WorklistReconciler.taskId("ins-1", WorklistItem.MISSING_CONSENT))
                .isEqualTo("wl-ins-1-missing-consent");
        assertThat(WorklistReconciler.identifierValue("ins-1", WorklistItem.MISSING_CONSENT))
                .isEqualTo("ins-1/missing-consent");
    }

    @Test
    void taskId_isAHashWithin64CharactersForLongInsertionIds() {
        String longId = "x".repeat(64);
        String id = WorklistReconciler.taskId(longId, WorklistItem.OVERDUE_FOLLOW_UP_180D);
        assertThat(id)
                .matches("wl-[0-9a-f]{40}")
                .isEqualTo(WorklistReconciler.taskId(longId, WorklistItem.OVERDUE_FOLLOW_UP_180D));
        assertThat(id).isNotEqualTo(WorklistReconciler.taskId(longId, WorklistItem.OVERDUE_FOLLOW_UP_30D));
    }
}
