package org.mcsfhir.server.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code mcs.security}; defaults are repeated in {@code application.yaml}. See {@code docs/security.md}.
 *
 * @param issuer the OAuth2/OIDC issuer whose bearer JWTs are accepted; empty = no authentication, which is allowed only
 *     while the server listens on loopback
 * @param audience the {@code aud} value every token must carry
 * @param jwkSetUri the issuer's JWK Set URL; empty = found through OIDC discovery ({@code issuer}/.well-known/...)
 * @param clockSkew tolerance when checking {@code exp} and {@code nbf}
 * @param maxJsonDepth deepest nesting of objects and arrays accepted in a JSON request body
 * @param audit the AuditEvent trail
 * @param referenceCheck keep every reference a centre-bound client writes inside its centre ({@link ReferenceGuard});
 *     off only to measure what the check costs (then a centre can point its records at another centre's)
 */
@Validated
@ConfigurationProperties(prefix = "mcs.security")
public record SecurityProperties(
        @DefaultValue("") String issuer,
        @NotNull @DefaultValue("mcs-fhir") String audience,
        @DefaultValue("") String jwkSetUri,
        @NotNull @DefaultValue("60s") Duration clockSkew,
        @Min(8) @DefaultValue("64") int maxJsonDepth,
        @NotNull @DefaultValue Audit audit,
        @DefaultValue("true") boolean referenceCheck) {

    public boolean authenticationEnabled() {
        return issuer != null && !issuer.isBlank();
    }

    /**
     * @param enabled write an AuditEvent for every access through {@code /fhir}
     * @param queueCapacity events waiting to be stored; beyond it new events are dropped and counted (never blocking a
     *     clinical request)
     */
    public record Audit(@DefaultValue("true") boolean enabled, @Min(1) @DefaultValue("10000") int queueCapacity) {}
}
