package org.mcsfhir.server.telemetry;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * Builds mcs-pump-telemetry Observations: one per device, channel and window, the values as {@code valueSampledData}
 * on the sample-period grid with {@code E} where no sample was received. The same samples always give the same
 * resource (and id), so rewriting a window that did not change is a no-op for HAPI.
 */
final class WindowObservations {

    private WindowObservations() {}

    /** Slot values of one window; NaN marks a slot without a sample. */
    static Observation window(
            DeviceResolver.DeviceLink link,
            Channel channel,
            long windowStartMs,
            long windowMs,
            long periodMs,
            double[] slots) {
        Observation observation = base(link, channel, windowStartMs, windowStartMs + windowMs);
        observation.setId(idFor(windowIdentifier(link.deviceId(), channel, windowStartMs)));
        observation.getMeta().addProfile(GuideCodes.TELEMETRY_PROFILE);
        observation
                .addIdentifier()
                .setSystem(GuideCodes.TELEMETRY_WINDOW_IDENTIFIER_SYSTEM)
                .setValue(windowIdentifier(link.deviceId(), channel, windowStartMs));
        observation.setValue(sampledData(channel, periodMs, slots));
        return observation;
    }

    /** What every telemetry Observation (stored window or computed series) has in common. */
    static Observation base(DeviceResolver.DeviceLink link, Channel channel, long startMs, long endMs) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        if (link.insertionReference() != null) {
            observation.addPartOf(new Reference(link.insertionReference()));
        }
        observation.addCategory(new CodeableConcept(new Coding(
                GuideCodes.OBSERVATION_CATEGORY_SYSTEM,
                GuideCodes.TELEMETRY_CATEGORY_CODE,
                GuideCodes.TELEMETRY_CATEGORY_DISPLAY)));
        observation.setCode(
                new CodeableConcept(new Coding(GuideCodes.TELEMETRY_CHANNEL_SYSTEM, channel.code(), channel.display)));
        if (link.patientReference() != null) {
            observation.setSubject(new Reference(link.patientReference()));
        }
        observation.setEffective(new Period().setStartElement(instant(startMs)).setEndElement(instant(endMs)));
        observation.setDevice(new Reference("Device/" + link.deviceId()));
        return observation;
    }

    static SampledData sampledData(Channel channel, long periodMs, double[] slots) {
        StringBuilder data = new StringBuilder(slots.length * 5);
        for (int i = 0; i < slots.length; i++) {
            if (i > 0) {
                data.append(' ');
            }
            if (Double.isNaN(slots[i])) {
                data.append('E');
            } else {
                TelemetryNumbers.append(data, slots[i]);
            }
        }
        return new SampledData()
                .setOrigin(origin(channel))
                .setPeriod(BigDecimal.valueOf(periodMs))
                .setDimensions(1)
                .setData(data.toString());
    }

    static Quantity origin(Channel channel) {
        return new Quantity()
                .setValue(0)
                .setUnit(channel.unitDisplay)
                .setSystem(GuideCodes.UCUM)
                .setCode(channel.ucum);
    }

    /** The deterministic window identity: {@code deviceId/channel/windowStartEpochSeconds} (invariant mcs-tel-6). */
    static String windowIdentifier(String deviceId, Channel channel, long windowStartMs) {
        return deviceId + "/" + channel.code() + "/" + Math.floorDiv(windowStartMs, 1000L);
    }

    /**
     * A deterministic logical id for a window: a hash of its identifier (the identifier itself may be longer than the
     * 64 characters an id allows). Two nodes materializing the same window write the same resource.
     */
    static String idFor(String windowIdentifier) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(windowIdentifier.getBytes(StandardCharsets.UTF_8));
            return "tel-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DateTimeType instant(long epochMs) {
        DateTimeType time = new DateTimeType(new Date(epochMs), TemporalPrecisionEnum.SECOND);
        time.setTimeZoneZulu(true);
        if (epochMs % 1000 != 0) {
            time.setPrecision(TemporalPrecisionEnum.MILLI);
        }
        return time;
    }
}
