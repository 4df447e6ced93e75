package org.mcsfhir.server.telemetry.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SenderDirectoryTest {

    private final SenderDirectory senders = new SenderDirectory(List.of(
            new MllpProperties.Sender("ICU-1", "", "centre-1"),
            new MllpProperties.Sender("ICU-1", "PUMPS", "centre-2"),
            new MllpProperties.Sender("ICU-3", "ONLY", "centre-3")));

    @Test
    void anExactApplicationEntryWins_overTheFacilityWideOne() {
        assertThat(senders.centreOf("ICU-1", "PUMPS")).contains("centre-2");
        assertThat(senders.centreOf("ICU-1", "OTHER")).contains("centre-1");
    }

    @Test
    void unknownFacilitiesAndApplications_haveNoCentre() {
        assertThat(senders.centreOf("ICU-9", "")).isEmpty();
        assertThat(senders.centreOf("ICU-3", "OTHER")).isEmpty();
        assertThat(senders.centreOf("icu-1", "")).isEmpty();
    }
}
