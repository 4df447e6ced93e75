package org.mcsfhir.server.telemetry.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitConversionsTest {

    @Test
    void theChannelsOwnUnit_andKnownEquivalents_haveAFactor() {
        assertThat(UnitConversions.factor("L/min", "L/min")).hasValue(1.0);
        assertThat(UnitConversions.factor("mmHg", "mm[Hg]")).hasValue(1.0);
        assertThat(UnitConversions.factor("mL/min", "L/min")).hasValue(0.001);
        assertThat(UnitConversions.factor("A", "mA")).hasValue(1000.0);
    }

    @Test
    void anythingElse_isNotGuessed() {
        assertThat(UnitConversions.factor("mL/s", "L/min")).isEmpty();
        assertThat(UnitConversions.factor("L/min", "mm[Hg]")).isEmpty();
        assertThat(UnitConversions.factor("MMHG", "mm[Hg]")).isEmpty();
    }
}
