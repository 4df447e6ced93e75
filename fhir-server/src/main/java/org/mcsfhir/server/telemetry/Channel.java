package org.mcsfhir.server.telemetry;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The console channels of {@code mcs-telemetry-channel-cs}, each with its one UCUM unit (profile invariants
 * mcs-tel-1/4) and the range a value must fall in to be plausible. {@link #id} is what the sample table stores; it is
 * part of the on-disk format and never changes, whatever the declaration order.
 */
enum Channel {
    PUMP_FLOW(1, "pump-flow", "Pump flow", "L/min", "L/min", 0, 10, false),
    PERFORMANCE_LEVEL(2, "performance-level", "Performance level", "{level}", "level", 0, 9, true),
    MOTOR_CURRENT(3, "motor-current", "Motor current", "mA", "mA", 0, 2000, false),
    PURGE_PRESSURE(4, "purge-pressure", "Purge pressure", "mm[Hg]", "mmHg", 0, 1500, false),
    PURGE_FLOW(5, "purge-flow", "Purge flow", "mL/h", "mL/h", 0, 100, false),
    PLACEMENT_SIGNAL(6, "placement-signal", "Placement signal", "mm[Hg]", "mmHg", -50, 300, false),
    PUMP_SPEED(7, "pump-speed", "Pump speed", "/min", "/min", 0, 60000, false);

    private static final Map<String, Channel> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Channel::code, Function.identity()));
    private static final Channel[] BY_ID = new Channel[8];

    static {
        for (Channel channel : values()) {
            BY_ID[channel.id] = channel;
        }
    }

    final int id;
    private final String code;
    final String display;
    final String ucum;
    final String unitDisplay;
    final double min;
    final double max;
    final boolean wholeNumbers;

    Channel(
            int id,
            String code,
            String display,
            String ucum,
            String unitDisplay,
            double min,
            double max,
            boolean wholeNumbers) {
        this.id = id;
        this.code = code;
        this.display = display;
        this.ucum = ucum;
        this.unitDisplay = unitDisplay;
        this.min = min;
        this.max = max;
        this.wholeNumbers = wholeNumbers;
    }

    String code() {
        return code;
    }

    /** @return the channel with this code, or null */
    static Channel byCode(String code) {
        return BY_CODE.get(code);
    }

    static Channel byId(int id) {
        return BY_ID[id];
    }

    /** @return null if the value is acceptable, otherwise why not */
    String checkValue(double value) {
        if (value < min || value > max) {
            return "value " + TelemetryNumbers.format(value) + " is outside " + TelemetryNumbers.format(min) + ".."
                    + TelemetryNumbers.format(max) + " " + ucum;
        }
        if (wholeNumbers && value != Math.rint(value)) {
            return "value " + TelemetryNumbers.format(value) + " is not a whole number";
        }
        return null;
    }
}
