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
 * @param cache size and lifetime of each terminology cache
 */
@Validated
@ConfigurationProperties(prefix = "mcs.validation")
public record ValidationProperties(@NotNull @DefaultValue("enforce") Mode mode, @NotNull @DefaultValue Cache cache) {

    public enum Mode {
        ENFORCE,
        WARN,
        OFF
    }

    public record Cache(
            @Min(1) @DefaultValue("10000") long maximumEntries,
            @NotNull @DefaultValue("10m") Duration expireAfterWrite) {}
}
