package org.mcsfhir.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestAdmissionTest {

    @Test
    void beyondRunningPlusWaiting_requestsAreRefusedAtOnce() throws InterruptedException {
        IngestAdmission admission = new IngestAdmission(1, 0, 0);

        IngestAdmission.Turn first = admission.tryEnter();
        assertThat(first).isNotNull();
        assertThat(admission.tryEnter()).isNull();

        first.close();
        IngestAdmission.Turn again = admission.tryEnter();
        assertThat(again).isNotNull();
        again.close();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void aRefusedRequest_leavesNoTrace() throws InterruptedException {
        IngestAdmission admission = new IngestAdmission(1, 1, 0);
        IngestAdmission.Turn first = admission.tryEnter();

        assertThat(admission.tryEnter()).isNull(); // may wait, but its wait of 0 ms runs out
        assertThat(admission.inFlight()).isEqualTo(1);
        first.close();
        assertThat(admission.inFlight()).isZero();
    }
}
