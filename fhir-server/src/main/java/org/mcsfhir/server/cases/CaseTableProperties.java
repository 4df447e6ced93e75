package org.mcsfhir.server.cases;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the case table under {@code mcs.cases}; defaults are repeated in {@code application.yaml}.
 *
 * @param upkeep keep the table current on every write ({@link CaseTableUpkeep}). Off only to measure what the upkeep
 *     costs a write: a warning is logged, and the outcome audit then answers from a table that no longer follows the
 *     resources until a rebuild
 * @param upkeepDelay how long writes' announcements collect before their rows are read together: longer means fewer
 *     reads per write under load; readers on this node never see the delay (they read what waits first), another
 *     node sees a write's row after at most this delay and one batch's read
 */
@ConfigurationProperties(prefix = "mcs.cases")
public record CaseTableProperties(
        @DefaultValue("true") boolean upkeep,
        @DefaultValue("2s") Duration upkeepDelay) {

    public CaseTableProperties {
        if (upkeepDelay.isNegative()) {
            throw new IllegalArgumentException("mcs.cases.upkeep-delay must not be negative: " + upkeepDelay);
        }
    }
}
