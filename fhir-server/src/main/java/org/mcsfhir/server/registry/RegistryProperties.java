package org.mcsfhir.server.registry;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the registry feature under {@code mcs.registry}; defaults are repeated in {@code application.yaml}.
 *
 * @param pseudonymSecret the HMAC-SHA-256 key of the pseudonyms ({@code MCS_REGISTRY_PSEUDONYM_SECRET}), at least 32
 *     characters. Empty: a random key is generated once, stored in the database (so every node and every restart of
 *     this deployment uses the same one, and no two deployments share one) and a warning is logged at start-up.
 * @param lowFlowThreshold pump flow below this (L/min) counts as low flow in the telemetry summary
 * @param selectionWindowBefore selection observations (SCAI stage, haemodynamics, findings, pregnancy status) of the
 *     patient belong to the case if taken at most this long before the insertion started
 * @param selectionWindowAfter ... or at most this long after it started
 */
@Validated
@ConfigurationProperties(prefix = "mcs.registry")
public record RegistryProperties(
        @NotNull @DefaultValue("") String pseudonymSecret,
        @DefaultValue("1.0") double lowFlowThreshold,
        @NotNull @DefaultValue("7d") Duration selectionWindowBefore,
        @NotNull @DefaultValue("24h") Duration selectionWindowAfter) {

    public RegistryProperties {
        if (!pseudonymSecret.isEmpty() && pseudonymSecret.length() < 32) {
            throw new IllegalArgumentException(
                    "mcs.registry.pseudonym-secret must be at least 32 characters (or empty to generate one)");
        }
        if (!(lowFlowThreshold > 0)) {
            throw new IllegalArgumentException("mcs.registry.low-flow-threshold must be a positive flow in L/min");
        }
    }
}
