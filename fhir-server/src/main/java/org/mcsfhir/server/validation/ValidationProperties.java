package org.mcsfhir.server.validation;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code mcs.validation}.
 *
 * @param mode {@code enforce}: a non-conforming resource is refused with 422; {@code warn}: it is stored and the
 *     problems are logged; {@code off}: no profile validation
 * @param cache size and lifetime of each cache of the guide's terminology (used by write validation)
 * @param terminologyRefresh how often each node compares the stored CodeSystems, ValueSets and ConceptMaps with what
 *     its terminology operations have cached, and clears the caches on a change (the cross-node staleness bound)
 */
@Validated
@ConfigurationProperties(prefix = "mcs.validation")
public record ValidationProperties(
        @NotNull @DefaultValue("enforce") Mode mode,
        @NotNull @DefaultValue Cache cache,
        @NotNull @DefaultValue("10s") Duration terminologyRefresh) {

    public enum Mode {
        ENFORCE,
        WARN,
        OFF
    }

    public record Cache(
            @Min(1) @DefaultValue("10000") long maximumEntries,
            @NotNull @DefaultValue("10m") Duration expireAfterWrite) {}
}
