package org.mcsfhir.server.telemetry.mllp;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * OBX-6 units a device gateway may send instead of a channel's UCUM unit, with the factor into that unit. Anything
 * else is refused rather than guessed: a wrong factor would store plausible-looking wrong values.
 */
final class UnitConversions {

    /** channel UCUM unit → (sent unit → factor) */
    private static final Map<String, Map<String, Double>> EQUIVALENTS = Map.of(
            "L/min", Map.of("l/min", 1.0, "mL/min", 0.001, "ml/min", 0.001),
            "mA", Map.of("A", 1000.0),
            "mm[Hg]", Map.of("mmHg", 1.0, "kPa", 7.500615758, "cm[H2O]", 0.735559121),
            "mL/h", Map.of("ml/h", 1.0, "mL/min", 60.0),
            "/min", Map.of("{rpm}", 1.0, "rpm", 1.0, "{rev}/min", 1.0),
            "{level}", Map.of("1", 1.0));

    private UnitConversions() {}

    /** The factor from the sent unit into the channel's unit; empty if the unit is not known to be equivalent. */
    static OptionalDouble factor(String sent, String channelUnit) {
        if (sent.equals(channelUnit)) {
            return OptionalDouble.of(1.0);
        }
        Double factor = EQUIVALENTS.getOrDefault(channelUnit, Map.of()).get(sent);
        return factor == null ? OptionalDouble.empty() : OptionalDouble.of(factor);
    }
}
