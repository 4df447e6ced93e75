package org.mcsfhir.server.telemetry;

import java.math.BigDecimal;

/** Decimal formatting for SampledData: shortest exact form, no exponent, no trailing zeros ("3.2", "8", "-0.5"). */
final class TelemetryNumbers {

    private TelemetryNumbers() {}

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static void append(StringBuilder out, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
        }
    }
}
