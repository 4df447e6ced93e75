package org.mcsfhir.server.registry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * Per-channel {@code mcs-telemetry-summary} Observations computed from stored {@code mcs-pump-telemetry} windows
 * (valueSampledData): minimum, mean and maximum, duration covered (union of the window periods), sample count and, for
 * pump flow, the time below the low-flow threshold. Samples marked E are excluded; L and U count at the window's
 * lowerLimit and upperLimit, as the guide says. Pure: no storage, so it is tested without a server.
 */
final class TelemetrySummaries {

    private static final int MEAN_SCALE = 3;
    private static final int HOURS_SCALE = 4;
    private static final String PUMP_FLOW = "pump-flow";

    private TelemetrySummaries() {}

    /**
     * @param windows stored window Observations of one pump run (any order, any channels)
     * @param deviceId the logical id of the pump, used in the summary identifier
     * @param lowFlowThreshold L/min
     * @return one summary per channel that has at least one usable sample, in channel order of first appearance
     */
    static List<Observation> summarise(List<Observation> windows, String deviceId, double lowFlowThreshold) {
        Accumulator accumulator = new Accumulator(deviceId, lowFlowThreshold);
        windows.forEach(accumulator::add);
        return accumulator.summaries();
    }

    static String channelOf(Observation observation) {
        return observation.getCode().getCoding().stream()
                .filter(c -> GuideCodes.TELEMETRY_CHANNEL_SYSTEM.equals(c.getSystem()))
                .map(Coding::getCode)
                .findFirst()
                .orElse(null);
    }

    /**
     * Summarises windows one at a time, keeping per channel only running statistics and the window periods, so a
     * pump run of tens of thousands of windows is summarised while paging through the search without holding them.
     */
    static final class Accumulator {

        private final String deviceId;
        private final BigDecimal threshold;
        private final Map<String, ChannelStats> channels = new LinkedHashMap<>();

        Accumulator(String deviceId, double lowFlowThreshold) {
            this.deviceId = deviceId;
            this.threshold = BigDecimal.valueOf(lowFlowThreshold);
        }

        void add(Observation window) {
            String channel = channelOf(window);
            if (channel != null
                    && window.hasValueSampledData()
                    && window.hasEffectivePeriod()
                    && window.getEffectivePeriod().hasStart()) {
                channels.computeIfAbsent(channel, c -> new ChannelStats(window)).add(window, threshold);
            }
        }

        List<Observation> summaries() {
            List<Observation> summaries = new ArrayList<>();
            channels.forEach((channel, stats) -> {
                if (stats.count > 0) {
                    summaries.add(stats.summary(channel, deviceId, threshold));
                }
            });
            return summaries;
        }
    }

    private static final class ChannelStats {

        private final Observation first;
        private final List<long[]> periods = new ArrayList<>();
        private Quantity unit;
        private BigDecimal min;
        private BigDecimal max;
        private BigDecimal sum = BigDecimal.ZERO;
        private long count;
        private long belowMs;
        private Date start;
        private Date end;

        ChannelStats(Observation first) {
            this.first = first;
        }

        void add(Observation window, BigDecimal threshold) {
            Period period = window.getEffectivePeriod();
            if (start == null || period.getStart().before(start)) {
                start = period.getStart();
            }
            if (period.hasEnd() && (end == null || period.getEnd().after(end))) {
                end = period.getEnd();
            }
            if (period.hasEnd()) {
                periods.add(
                        new long[] {period.getStart().getTime(), period.getEnd().getTime()});
            }
            SampledData data = window.getValueSampledData();
            if (unit == null && data.hasOrigin()) {
                unit = data.getOrigin();
            }
            BigDecimal origin = data.hasOrigin() && data.getOrigin().hasValue()
                    ? data.getOrigin().getValue()
                    : BigDecimal.ZERO;
            BigDecimal factor = data.hasFactor() ? data.getFactor() : BigDecimal.ONE;
            long periodMs = data.hasPeriod() ? data.getPeriod().longValue() : 0;
            String text = data.getData();
            if (text == null || text.isBlank()) {
                return;
            }
            for (String token : text.trim().split("\\s+")) {
                BigDecimal value;
                switch (token) {
                    case "E" -> value = null;
                    case "L" -> value = data.hasLowerLimit() ? data.getLowerLimit() : null;
                    case "U" -> value = data.hasUpperLimit() ? data.getUpperLimit() : null;
                    default -> {
                        try {
                            value = origin.add(factor.multiply(new BigDecimal(token)));
                        } catch (NumberFormatException e) {
                            value = null; // a stored window conformed to the guide; skip rather than fail the case
                        }
                    }
                }
                if (value == null) {
                    continue;
                }
                min = min == null || value.compareTo(min) < 0 ? value : min;
                max = max == null || value.compareTo(max) > 0 ? value : max;
                sum = sum.add(value);
                count++;
                if (value.compareTo(threshold) < 0) {
                    belowMs += periodMs;
                }
            }
        }

        Observation summary(String channel, String deviceId, BigDecimal threshold) {
            BigDecimal mean = sum.divide(BigDecimal.valueOf(count), MEAN_SCALE, RoundingMode.HALF_UP);
            // rounding must not push the mean outside [min, max] (invariant mcs-tsum-2)
            mean = mean.max(min).min(max);
            long coveredMs = coveredMs(periods);
            long below = Math.min(belowMs, coveredMs);

            Observation summary = new Observation();
            summary.getMeta().addProfile(GuideCodes.TELEMETRY_SUMMARY_PROFILE);
            String id = channel + "-summary-" + deviceId;
            summary.setId(id.length() > 64 ? id.substring(0, 64) : id);
            summary.addIdentifier(new Identifier()
                    .setSystem(GuideCodes.TELEMETRY_SUMMARY_IDENTIFIER_SYSTEM)
                    .setValue(deviceId + "/" + channel + "/" + Math.floorDiv(start.getTime(), 1000L)));
            summary.setStatus(Observation.ObservationStatus.FINAL);
            summary.setPartOf(copyReferences(first.getPartOf()));
            summary.addCategory(new CodeableConcept(new Coding(
                    GuideCodes.OBSERVATION_CATEGORY_SYSTEM,
                    GuideCodes.TELEMETRY_CATEGORY_CODE,
                    GuideCodes.TELEMETRY_CATEGORY_DISPLAY)));
            summary.setCode(first.getCode().copy());
            summary.setSubject(first.getSubject().copy());
            summary.setEffective(new Period().setStart(start).setEnd(end == null ? start : end));
            summary.setDevice(first.getDevice().copy());

            String unitCode = unit != null && unit.hasCode() ? unit.getCode() : null;
            String unitText = unit != null && unit.hasUnit() ? unit.getUnit() : unitCode;
            summary.addComponent(component("minimum", "Minimum", quantity(min, unitText, unitCode)));
            summary.addComponent(component("mean", "Mean", quantity(mean, unitText, unitCode)));
            summary.addComponent(component("maximum", "Maximum", quantity(max, unitText, unitCode)));
            summary.addComponent(component(
                    "duration-covered",
                    "Duration covered",
                    quantity(
                            BigDecimal.valueOf(coveredMs)
                                    .divide(BigDecimal.valueOf(1000), 3, RoundingMode.DOWN)
                                    .stripTrailingZeros(),
                            "s",
                            "s")));
            summary.addComponent(component("sample-count", "Sample count", null)
                    .setValue(new IntegerType((int) Math.min(count, Integer.MAX_VALUE))));
            if (PUMP_FLOW.equals(channel)) {
                summary.addComponent(
                        component("low-flow-threshold", "Low-flow threshold", quantity(threshold, "L/min", "L/min")));
                summary.addComponent(component(
                        "time-below-low-flow-threshold",
                        "Time below low-flow threshold",
                        quantity(
                                BigDecimal.valueOf(below)
                                        .divide(BigDecimal.valueOf(3_600_000L), HOURS_SCALE, RoundingMode.DOWN),
                                "h",
                                "h")));
            }
            return summary;
        }
    }

    /** Length of the union of the windows' periods (overlapping windows are not counted twice). */
    static long coveredMs(List<Observation> windows) {
        List<long[]> periods = new ArrayList<>();
        for (Observation window : windows) {
            Period period = window.getEffectivePeriod();
            if (period.hasStart() && period.hasEnd()) {
                periods.add(
                        new long[] {period.getStart().getTime(), period.getEnd().getTime()});
            }
        }
        return coveredMs(periods);
    }

    private static long coveredMs(Collection<long[]> periods) {
        List<long[]> sorted = new ArrayList<>(periods);
        sorted.sort(Comparator.comparingLong(p -> p[0]));
        long covered = 0;
        long currentStart = Long.MIN_VALUE;
        long currentEnd = Long.MIN_VALUE;
        for (long[] period : sorted) {
            long s = period[0];
            long e = period[1];
            if (e <= s) {
                continue;
            }
            if (s > currentEnd) {
                if (currentEnd > currentStart) {
                    covered += currentEnd - currentStart;
                }
                currentStart = s;
                currentEnd = e;
            } else {
                currentEnd = Math.max(currentEnd, e);
            }
        }
        if (currentEnd > currentStart) {
            covered += currentEnd - currentStart;
        }
        return covered;
    }

    private static List<Reference> copyReferences(List<Reference> references) {
        List<Reference> copies = new ArrayList<>();
        references.forEach(r -> copies.add(r.copy()));
        return copies;
    }

    private static Observation.ObservationComponentComponent component(String code, String display, Quantity value) {
        Observation.ObservationComponentComponent component = new Observation.ObservationComponentComponent(
                new CodeableConcept(new Coding(GuideCodes.TELEMETRY_SUMMARY_SYSTEM, code, display)));
        if (value != null) {
            component.setValue(value);
        }
        return component;
    }

    private static Quantity quantity(BigDecimal value, String unit, String code) {
        Quantity quantity = new Quantity().setValue(value).setUnit(unit);
        if (code != null) {
            quantity.setSystem(GuideCodes.UCUM).setCode(code);
        }
        return quantity;
    }
}
