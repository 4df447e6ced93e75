package org.mcsfhir.server.telemetry;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.StringType;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.security.AccessRules;

/**
 * {@code GET [base]/Device/[id]/$telemetry-series} (OperationDefinition mcs-telemetry-series): one channel of one pump
 * over [start, end), stitched across windows, optionally reduced to min/mean/max per bucket. Reads the sample table
 * directly, so it sees every acknowledged sample at once, whether or not its window Observation has been written yet.
 */
class TelemetrySeriesProvider {

    static final String OPERATION = AccessRules.TELEMETRY_SERIES;
    private static final Pattern RESOLUTION = Pattern.compile("([1-9][0-9]{0,6})(s|min|h)");

    private final TelemetryProperties properties;
    private final DeviceResolver devices;
    private final SampleStore store;

    TelemetrySeriesProvider(TelemetryProperties properties, DeviceResolver devices, SampleStore store) {
        this.properties = properties;
        this.devices = devices;
        this.store = store;
    }

    @Operation(name = OPERATION, idempotent = true, type = Device.class)
    @Description(
            shortDefinition = "One channel of one pump over a time span, stitched across telemetry windows",
            value = "Returns one Observation shaped like mcs-pump-telemetry (not stored, no identifier) whose "
                    + "valueSampledData holds the channel's samples in [start, end) at the recorded period (E for gaps), "
                    + "or, with resolution, three components minimum/mean/maximum per bucket.")
    public Observation telemetrySeries(
            @IdParam IdType deviceId,
            @Description(value = "Console channel, a code of mcs-telemetry-channel-cs, e.g. pump-flow")
                    @OperationParam(name = "channel", min = 1, max = 1)
                    CodeType channelCode,
            @Description(value = "Start of the span (inclusive), an instant with time zone")
                    @OperationParam(name = "start", min = 1, max = 1)
                    StringType startText,
            @Description(value = "End of the span (exclusive), an instant with time zone, after start")
                    @OperationParam(name = "end", min = 1, max = 1)
                    StringType endText,
            @Description(value = "Bucket length for min/mean/max downsampling: a number and s, min or h (e.g. 60s)")
                    @OperationParam(name = "resolution", min = 0, max = 1)
                    StringType resolutionText) {
        Channel channel = channel(channelCode);
        long start = instant("start", startText);
        long end = instant("end", endText);
        if (end <= start) {
            throw invalid("MCS-0723: end must be after start", "end");
        }
        if (end - start > properties.seriesMaxSpan().toMillis()) {
            throw error(
                    new UnprocessableEntityException("MCS-0724: the span is longer than the maximum of "
                            + properties.seriesMaxSpan() + " (mcs.telemetry.series-max-span)"),
                    "end");
        }
        Long bucketMs = resolution(resolutionText);
        DeviceResolver.DeviceLink link = link(deviceId.getIdPart());

        Observation series = WindowObservations.base(link, channel, start, end);
        if (bucketMs == null) {
            long periodMs = properties.periodMs();
            double[] slots = new double[(int) ((end - start + periodMs - 1) / periodMs)];
            Arrays.fill(slots, Double.NaN);
            store.readSeries(
                    link.deviceId(),
                    channel,
                    start,
                    end,
                    (timeMs, value) -> slots[(int) ((timeMs - start) / periodMs)] = value);
            series.setValue(WindowObservations.sampledData(channel, periodMs, slots));
        } else {
            int buckets = (int) ((end - start + bucketMs - 1) / bucketMs);
            double[] min = new double[buckets];
            double[] max = new double[buckets];
            double[] sum = new double[buckets];
            int[] count = new int[buckets];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            store.readSeries(link.deviceId(), channel, start, end, (timeMs, value) -> {
                int b = (int) ((timeMs - start) / bucketMs);
                min[b] = Math.min(min[b], value);
                max[b] = Math.max(max[b], value);
                sum[b] += value;
                count[b]++;
            });
            double[] mean = new double[buckets];
            for (int b = 0; b < buckets; b++) {
                if (count[b] == 0) {
                    min[b] = max[b] = mean[b] = Double.NaN;
                } else {
                    mean[b] = BigDecimal.valueOf(sum[b] / count[b])
                            .setScale(4, RoundingMode.HALF_UP)
                            .doubleValue();
                }
            }
            addComponent(series, "minimum", "Minimum", channel, bucketMs, min);
            addComponent(series, "mean", "Mean", channel, bucketMs, mean);
            addComponent(series, "maximum", "Maximum", channel, bucketMs, max);
        }
        return series;
    }

    private static void addComponent(
            Observation series, String code, String display, Channel channel, long bucketMs, double[] values) {
        SampledData data = WindowObservations.sampledData(channel, bucketMs, values);
        series.addComponent()
                .setCode(new CodeableConcept(new Coding(GuideCodes.TELEMETRY_SUMMARY_SYSTEM, code, display)))
                .setValue(data);
    }

    private DeviceResolver.DeviceLink link(String deviceId) {
        try {
            return devices.resolve(deviceId);
        } catch (TelemetryException e) {
            if (e.status == 404) {
                throw error(new ResourceNotFoundException(e.getMessage()), null);
            }
            // a device without a patient can still have a series; it just has no subject
            return new DeviceResolver.DeviceLink(deviceId, null, null);
        }
    }

    private static Channel channel(CodeType code) {
        Channel channel = code == null ? null : Channel.byCode(code.getValue());
        if (channel == null) {
            throw invalid(
                    "MCS-0721: channel must be a code of mcs-telemetry-channel-cs (pump-flow, performance-level, "
                            + "motor-current, purge-pressure, purge-flow, placement-signal, pump-speed), got "
                            + (code == null ? "none" : code.getValue()),
                    "channel");
        }
        return channel;
    }

    private static long instant(String name, StringType text) {
        String value = text == null ? null : text.getValue();
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            // a FHIR instant has a four-digit year; wider ones overflow the millisecond arithmetic below
            if (parsed.getYear() < 1 || parsed.getYear() > 9999) {
                throw new DateTimeParseException("year out of range", value, 0);
            }
            return parsed.toInstant().toEpochMilli();
        } catch (DateTimeParseException | NullPointerException e) {
            throw invalid(
                    "MCS-0722: " + name + " must be an instant with time zone (e.g. 2026-03-10T15:00:00Z), got "
                            + value,
                    name);
        }
    }

    private Long resolution(StringType text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Matcher m = RESOLUTION.matcher(text.getValue());
        if (!m.matches()) {
            throw invalid(
                    "MCS-0725: resolution must be a number and s, min or h (e.g. 60s, 5min, 1h), got "
                            + text.getValue(),
                    "resolution");
        }
        long unit = switch (m.group(2)) {
            case "s" -> 1000L;
            case "min" -> 60_000L;
            default -> 3_600_000L;
        };
        long bucketMs = Long.parseLong(m.group(1)) * unit;
        if (bucketMs < properties.periodMs()) {
            throw invalid(
                    "MCS-0725: resolution must not be shorter than the sample period " + properties.samplePeriod(),
                    "resolution");
        }
        return bucketMs;
    }

    private static InvalidRequestException invalid(String message, String parameter) {
        return error(new InvalidRequestException(message), parameter);
    }

    private static <E extends BaseServerResponseException> E error(E exception, String parameter) {
        OperationOutcome outcome = new OperationOutcome();
        var issue = outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(
                        exception instanceof ResourceNotFoundException
                                ? OperationOutcome.IssueType.NOTFOUND
                                : exception instanceof UnprocessableEntityException
                                        ? OperationOutcome.IssueType.TOOCOSTLY
                                        : OperationOutcome.IssueType.INVALID)
                .setDiagnostics(exception.getMessage());
        if (parameter != null) {
            issue.addExpression(parameter);
        }
        exception.setOperationOutcome(outcome);
        return exception;
    }
}
