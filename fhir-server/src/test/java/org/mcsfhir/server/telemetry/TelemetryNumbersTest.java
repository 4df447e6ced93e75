package org.mcsfhir.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TelemetryNumbersTest {

    @Test
    void valuesAreWrittenInTheirShortestExactDecimalForm() {
        assertThat(TelemetryNumbers.format(3.2)).isEqualTo("3.2");
        assertThat(TelemetryNumbers.format(8)).isEqualTo("8");
        assertThat(TelemetryNumbers.format(-0.5)).isEqualTo("-0.5");
        assertThat(TelemetryNumbers.format(0.0001)).isEqualTo("0.0001");
        assertThat(TelemetryNumbers.format(33000)).isEqualTo("33000");
    }
}
