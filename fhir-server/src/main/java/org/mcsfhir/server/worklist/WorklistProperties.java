package org.mcsfhir.server.worklist;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the completeness worklist under {@code mcs.worklist}; defaults are repeated in {@code application.yaml}.
 *
 * @param enabled keep worklist Tasks current (scheduled pass and re-evaluation after writes); off: no Task is written
 * @param interval time between two full passes over every insertion (catches what no write announces: due dates
 *     passing, a pump falling silent)
 * @param initialDelay time from start-up to the first full pass
 * @param supportMaxDuration an insertion without removal or support outcome this long after it started is flagged
 *     {@code support-not-ended}
 * @param telemetrySilence a pump still implanted whose newest sample is older than this is flagged
 *     {@code telemetry-silent}
 * @param refreshTimeout how long {@code $worklist-refresh} waits for its pass before answering 503
 */
@Validated
@ConfigurationProperties(prefix = "mcs.worklist")
public record WorklistProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("10m") Duration interval,
        @NotNull @DefaultValue("1m") Duration initialDelay,
        @NotNull @DefaultValue("10d") Duration supportMaxDuration,
        @NotNull @DefaultValue("6h") Duration telemetrySilence,
        @NotNull @DefaultValue("5m") Duration refreshTimeout) {

    public WorklistProperties {
        for (Duration d : new Duration[] {interval, supportMaxDuration, telemetrySilence, refreshTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("mcs.worklist durations must be positive");
            }
        }
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("mcs.worklist.initial-delay must not be negative");
        }
    }
}
