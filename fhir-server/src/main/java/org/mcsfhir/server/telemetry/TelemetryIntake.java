package org.mcsfhir.server.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The way into the sample store for gateways that live outside this package (the HL7 v2 MLLP listener): the channel
 * table, the checks the NDJSON gateway makes (range, time), device lookup and the very same {@link SampleStore} write
 * behind the same {@link IngestAdmission}, so duplicates, conflicts, windows and crash safety are shared.
 */
public class TelemetryIntake {

    private final TelemetryProperties properties;
    private final DeviceResolver devices;
    private final SampleStore store;
    private final IngestAdmission admission;

    TelemetryIntake(
            TelemetryProperties properties, DeviceResolver devices, SampleStore store, IngestAdmission admission) {
        this.properties = properties;
        this.devices = devices;
        this.store = store;
        this.admission = admission;
    }

    /** The UCUM unit of a channel of {@code mcs-telemetry-channel-cs}; empty if there is no such channel. */
    public static Optional<String> unitOf(String channel) {
        return Optional.ofNullable(Channel.byCode(channel)).map(c -> c.ucum);
    }

    /** Null if the value is plausible for the channel, otherwise why not (as the NDJSON gateway says it). */
    public static String checkValue(String channel, double value) {
        return Channel.byCode(channel).checkValue(value);
    }

    /** Null if the instant may be stored, otherwise why not (before 2000, or beyond the future tolerance). */
    public String checkTime(long timeMs, Instant now) {
        if (timeMs < SampleParser.EARLIEST.toEpochMilli()) {
            return "is before " + SampleParser.EARLIEST;
        }
        if (timeMs > now.toEpochMilli() + properties.futureTolerance().toMillis()) {
            return "is in the future beyond the tolerance (mcs.telemetry.future-tolerance)";
        }
        return null;
    }

    public long samplePeriodMs() {
        return properties.periodMs();
    }

    public int maxValuesPerMessage() {
        return properties.maxValuesPerRequest();
    }

    /** The logical id of the Device an equipment identifier names (identifier value or serial number), if one. */
    public Optional<String> findDevice(String equipmentId) {
        return Optional.ofNullable(devices.findByEquipmentId(equipmentId));
    }

    /** Null if telemetry for this Device can be stored, otherwise why not (no patient linked). */
    public String unusable(String deviceId) {
        try {
            devices.resolve(deviceId);
            return null;
        } catch (TelemetryException e) {
            return e.getMessage();
        }
    }

    /**
     * Stores the values of one device in one committed transaction (times put on the sample-period grid).
     *
     * @return the counts, or empty if the gateway is at capacity (nothing stored: send again later)
     */
    public Optional<Stored> store(String deviceId, List<Value> values) throws InterruptedException {
        List<Sample> samples = new ArrayList<>(values.size());
        long period = properties.periodMs();
        for (int i = 0; i < values.size(); i++) {
            Value v = values.get(i);
            samples.add(new Sample(
                    Channel.byCode(v.channel()), Math.floorDiv(v.timeMs(), period) * period, v.value(), i + 1));
        }
        IngestAdmission.Turn turn = admission.tryEnter();
        if (turn == null) {
            return Optional.empty();
        }
        try (turn) {
            IngestResult result = store.store(deviceId, samples, properties.windowMs());
            return Optional.of(new Stored(result.accepted(), result.duplicates(), result.conflicts()));
        }
    }

    /** One value of a channel ({@code mcs-telemetry-channel-cs} code) at an instant, in the channel's unit. */
    public record Value(String channel, long timeMs, double value) {}

    /** What a store did: values new, already stored with the same value, or with a different one (kept). */
    public record Stored(int accepted, int duplicates, int conflicts) {}
}
