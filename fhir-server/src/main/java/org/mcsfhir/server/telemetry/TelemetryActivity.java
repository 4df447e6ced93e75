package org.mcsfhir.server.telemetry;

import java.time.Instant;
import java.util.Optional;

/**
 * What other features may ask the telemetry feature about a pump without reaching into its sample table: when the
 * console last reported. The completeness worklist uses it to flag a pump that fell silent while implanted.
 */
public interface TelemetryActivity {

    /** The time of the newest stored sample of this device, over all channels; empty if it never sent one. */
    Optional<Instant> lastSampleTime(String deviceId);
}
