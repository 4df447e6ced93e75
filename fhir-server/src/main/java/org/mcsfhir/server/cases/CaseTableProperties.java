package org.mcsfhir.server.cases;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the case table under {@code mcs.cases}; defaults are repeated in {@code application.yaml}.
 *
 * @param upkeep keep the table current on every write ({@link CaseTableUpkeep}). Off only to measure what the upkeep
 *     costs a write: a warning is logged, and the outcome audit then answers from a table that no longer follows the
 *     resources until a rebuild
 */
@ConfigurationProperties(prefix = "mcs.cases")
public record CaseTableProperties(@DefaultValue("true") boolean upkeep) {}
