package org.mcsfhir.server.outcomes;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the outcome audit under {@code mcs.outcomes}; defaults are repeated in {@code application.yaml}.
 *
 * @param smallCellThreshold a stratum (or group) whose denominator is below this is flagged with the
 *     {@code mcs-small-cell} extension; its counts are still reported (never suppressed)
 * @param selectionWindowBefore SCAI stage and pregnancy status count for an insertion if taken at most this long
 *     before its start ...
 * @param selectionWindowAfter ... or at most this long after it
 */
@Validated
@ConfigurationProperties(prefix = "mcs.outcomes")
public record OutcomeAuditProperties(
        @DefaultValue("5") int smallCellThreshold,
        @NotNull @DefaultValue("7d") Duration selectionWindowBefore,
        @NotNull @DefaultValue("24h") Duration selectionWindowAfter) {

    public OutcomeAuditProperties {
        if (smallCellThreshold < 0) {
            throw new IllegalArgumentException("mcs.outcomes.small-cell-threshold must not be negative");
        }
    }
}
