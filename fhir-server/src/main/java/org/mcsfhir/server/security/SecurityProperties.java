package org.mcsfhir.server.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
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
 * @param accessLog the access log: AuditEvents of who read or wrote what (not the outcome audit, {@code $audit})
 * @param audit the access log's former name ({@code mcs.security.audit.*}): still honoured for one release, with a
 *     warning; a value given here replaces the same value of {@code accessLog}
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
        @Valid @NotNull @DefaultValue AccessLog accessLog,
        @Deprecated FormerAccessLog audit,
        @DefaultValue("true") boolean referenceCheck) {

    private static final Logger log = LoggerFactory.getLogger(SecurityProperties.class);

    public SecurityProperties {
        if (audit != null && (audit.enabled() != null || audit.queueCapacity() != null)) {
            log.warn("MCS-0003: mcs.security.audit.* is deprecated and will be removed in the next release: use"
                    + " mcs.security.access-log.* (the access log; \"audit\" names the outcome audit)");
            accessLog = new AccessLog(
                    audit.enabled() != null ? audit.enabled() : accessLog.enabled(),
                    audit.queueCapacity() != null ? audit.queueCapacity() : accessLog.queueCapacity());
        }
    }

    public boolean authenticationEnabled() {
        return issuer != null && !issuer.isBlank();
    }

    /**
     * @param enabled write an AuditEvent for every access through {@code /fhir} and the telemetry gateways
     * @param queueCapacity events waiting to be stored; beyond it new events are dropped and counted (never blocking a
     *     clinical request)
     */
    public record AccessLog(
            @DefaultValue("true") boolean enabled,
            @Min(1) @DefaultValue("10000") int queueCapacity) {}

    /** {@code mcs.security.audit.*}: only what was set, so it can replace the access log's values. */
    public record FormerAccessLog(Boolean enabled, Integer queueCapacity) {

        @DeprecatedConfigurationProperty(replacement = "mcs.security.access-log.enabled")
        public Boolean enabled() {
            return enabled;
        }

        @DeprecatedConfigurationProperty(replacement = "mcs.security.access-log.queue-capacity")
        public Integer queueCapacity() {
            return queueCapacity;
        }
    }
}
