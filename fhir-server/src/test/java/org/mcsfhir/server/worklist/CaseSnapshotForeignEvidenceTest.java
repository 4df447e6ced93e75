package org.mcsfhir.server.worklist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.cases.CrossCentreCase;

/** The worklist reads only evidence and a pump of the insertion's patient, and the patient's centre owns the case. */
class CaseSnapshotForeignEvidenceTest {

    private static final Instant LAST_SAMPLE = Instant.parse("2024-01-11T08:00:00Z");
    private final CaseSnapshotLoader loader =
            new CaseSnapshotLoader(CrossCentreCase.daos(), deviceId -> Optional.of(LAST_SAMPLE));

    @Test
    void anotherPatientsRecordsThatPointAtTheInsertionAnswerNothing() {
        CaseSnapshot i2 = loader.load("i2").orElseThrow();

        assertThat(i2.death()).isNull();
        assertThat(i2.vitalStatuses()).isEmpty();
        assertThat(i2.supportEndRef()).isNull();
        assertThat(i2.consentRef()).isEqualTo("Consent/c2");
        assertThat(i2.centreRef()).isEqualTo(CrossCentreCase.B);
        assertThat(i2.lastTelemetry()).isEqualTo(LAST_SAMPLE);
    }

    @Test
    void anotherPatientsConsentAndPumpAreNotTheCases() {
        CaseSnapshot i1 = loader.load("i1").orElseThrow();
        CaseSnapshot i3 = loader.load("i3").orElseThrow();

        assertThat(i1.consentRef()).isNull();
        assertThat(i1.centreRef()).isEqualTo(CrossCentreCase.A);
        assertThat(i3.deviceRef()).isNull();
        assertThat(i3.lastTelemetry()).as("no other centre's telemetry time").isNull();
    }
}
