package org.mcsfhir.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.SampledData;
import org.junit.jupiter.api.Test;

/** Rewriting a window that was posted directly over FHIR keeps the values only it holds. */
class WindowMaterializerMergeTest {

    @Test
    void slotsWithoutGatewaySample_takeTheStoredValue_gatewaySamplesWin() {
        Observation posted = new Observation()
                .setValue(new SampledData()
                        .setOrigin(new Quantity().setValue(1))
                        .setFactor(0.01)
                        .setPeriod(BigDecimal.valueOf(1000))
                        .setDimensions(1)
                        .setData("210 E 230 240"));
        double[] slots = new double[4];
        Arrays.fill(slots, Double.NaN);
        slots[2] = 3.5;

        WindowMaterializer.keepValuesOnlyIn(posted, slots, 1000);

        assertThat(slots[0]).isEqualTo(3.1, Offset.offset(1e-9));
        assertThat(slots[1]).isNaN();
        assertThat(slots[2]).isEqualTo(3.5);
        assertThat(slots[3]).isEqualTo(3.4, Offset.offset(1e-9));
    }

    @Test
    void aStoredWindowOnAnotherGrid_isNotMixedIn() {
        Observation posted = new Observation()
                .setValue(new SampledData()
                        .setOrigin(new Quantity().setValue(0))
                        .setPeriod(BigDecimal.valueOf(500))
                        .setDimensions(1)
                        .setData("1 2"));
        double[] slots = {Double.NaN, Double.NaN};

        WindowMaterializer.keepValuesOnlyIn(posted, slots, 1000);

        assertThat(slots).containsOnly(Double.NaN);
    }
}
