package org.mcsfhir.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.guide.GuideCodes;

class TelemetrySummariesTest {

    private static final long T0 = Instant.parse("2026-03-10T15:00:00Z").toEpochMilli();

    @Test
    void pumpFlow_minMeanMaxCountAndTimeBelowThreshold() {
        Observation w1 = window("pump-flow", "L/min", T0, "300 80 90 E", 0.01);
        Observation w2 = window("pump-flow", "L/min", T0 + 4000, "L U 200 200", 0.01);

        Observation summary =
                TelemetrySummaries.summarise(List.of(w1, w2), "pump-1", 1.0).get(0);

        assertThat(value(summary, "minimum")).isEqualByComparingTo("0.5"); // L = lowerLimit
        assertThat(value(summary, "maximum")).isEqualByComparingTo("6"); // U = upperLimit
        // E excluded: (3.0 + 0.8 + 0.9 + 0.5 + 6 + 2 + 2) / 7
        assertThat(value(summary, "mean")).isEqualByComparingTo("2.171");
        assertThat(component(summary, "sample-count").getValueIntegerType().getValue())
                .isEqualTo(7);
        assertThat(value(summary, "duration-covered")).isEqualByComparingTo("8");
        assertThat(value(summary, "low-flow-threshold")).isEqualByComparingTo("1.0");
        // 0.8, 0.9 and L (0.5) are below 1.0 L/min: 3 s
        assertThat(value(summary, "time-below-low-flow-threshold")).isEqualByComparingTo("0.0008");
        assertThat(summary.getIdentifierFirstRep().getValue()).isEqualTo("pump-1/pump-flow/1773154800");
        assertThat(summary.getEffectivePeriod().getEnd()).isEqualTo(new Date(T0 + 8000));
        assertThat(summary.getPartOfFirstRep().getReference()).isEqualTo("Procedure/ins-1");
    }

    @Test
    void otherChannels_haveNoLowFlowComponents_andOneSummaryEach() {
        Observation level = window("performance-level", "{level}", T0, "8 8 9", 1);
        Observation flow = window("pump-flow", "L/min", T0, "300", 0.01);

        List<Observation> summaries = TelemetrySummaries.summarise(List.of(level, flow), "pump-1", 1.0);

        assertThat(summaries)
                .extracting(TelemetrySummaries::channelOf)
                .containsExactly("performance-level", "pump-flow");
        assertThat(summaries.get(0).getComponent())
                .extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .containsExactly("minimum", "mean", "maximum", "duration-covered", "sample-count");
        assertThat(component(summaries.get(0), "mean").getValueQuantity().getCode())
                .isEqualTo("{level}");
    }

    @Test
    void overlappingWindows_areNotCountedTwiceInDurationCovered() {
        Observation a = window("pump-flow", "L/min", T0, "300 300 300 300", 0.01);
        Observation b = window("pump-flow", "L/min", T0 + 2000, "300 300 300 300", 0.01);
        Observation c = window("pump-flow", "L/min", T0 + 60_000, "300", 0.01);

        assertThat(TelemetrySummaries.coveredMs(List.of(a, b, c))).isEqualTo(6000 + 1000);
    }

    @Test
    void aChannelWithOnlyMissingSamples_getsNoSummary() {
        assertThat(TelemetrySummaries.summarise(List.of(window("pump-flow", "L/min", T0, "E E", 0.01)), "p", 1.0))
                .isEmpty();
    }

    @Test
    void roundedMean_staysWithinMinAndMax() {
        Observation w = window("pump-flow", "L/min", T0, "12345 12346 12346", 0.0001);
        Observation summary = TelemetrySummaries.summarise(List.of(w), "p", 1.0).get(0);
        assertThat(value(summary, "mean"))
                .isLessThanOrEqualTo(value(summary, "maximum"))
                .isGreaterThanOrEqualTo(value(summary, "minimum"));
    }

    static Observation window(String channel, String unit, long startMs, String data, double factor) {
        int samples = data.trim().split("\\s+").length;
        Observation window = new Observation();
        window.setId("w-" + channel + "-" + startMs);
        window.addCategory(
                new CodeableConcept(new Coding(GuideCodes.OBSERVATION_CATEGORY_SYSTEM, "device-telemetry", null)));
        window.setCode(new CodeableConcept(new Coding(GuideCodes.TELEMETRY_CHANNEL_SYSTEM, channel, channel)));
        window.setSubject(new Reference("Patient/pat-1"));
        window.setDevice(new Reference("Device/pump-1"));
        window.addPartOf(new Reference("Procedure/ins-1"));
        window.setEffective(new Period().setStart(new Date(startMs)).setEnd(new Date(startMs + samples * 1000L)));
        window.setValue(new SampledData()
                .setOrigin((Quantity) new Quantity()
                        .setValue(0)
                        .setUnit(unit)
                        .setSystem(GuideCodes.UCUM)
                        .setCode(unit))
                .setPeriod(1000)
                .setFactor(BigDecimal.valueOf(factor))
                .setLowerLimit(0.5)
                .setUpperLimit(6)
                .setDimensions(1)
                .setData(data));
        return window;
    }

    private static Observation.ObservationComponentComponent component(Observation summary, String code) {
        return summary.getComponent().stream()
                .filter(c -> c.getCode().getCodingFirstRep().getCode().equals(code))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no component " + code));
    }

    private static BigDecimal value(Observation summary, String code) {
        return component(summary, code).getValueQuantity().getValue();
    }
}
