package org.mcsfhir.server.limits;

import org.mcsfhir.server.config.FilterOrder;
import org.mcsfhir.server.config.McsFhirProperties;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.mcsfhir.server.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request limits: one filter between the size limit on the wire and everything that parses a body, the limits stated in
 * the CapabilityStatement, and the bound on what one search may ask of the database.
 */
@Configuration
class BodyLimitsConfig {

    @Bean
    FilterRegistrationBean<BodyLimitsFilter> bodyLimitsFilter(
            BodyLimitsProperties properties, SecurityProperties security) {
        BodyLimits limits = properties.bodyLimits(security.maxJsonDepth());
        // the telemetry gateway streams its samples and caps their number itself: only depth, strings and numbers
        BodyLimits streamed = new BodyLimits(
                limits.maxDepth(),
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                limits.maxStringLength(),
                Integer.MAX_VALUE,
                limits.maxNumberLength(),
                Integer.MAX_VALUE);
        FilterRegistrationBean<BodyLimitsFilter> registration = new FilterRegistrationBean<>(new BodyLimitsFilter(
                properties.maxDecompressedSize().toBytes(),
                limits,
                streamed,
                new LargeBodyGate(properties.largeBodySize().toBytes(), properties.maxConcurrentLargeBodies())));
        registration.setOrder(FilterOrder.BODY_LIMITS);
        return registration;
    }

    @Bean
    RestfulServerContributor capabilityLimits(BodyLimitsProperties properties, McsFhirProperties fhir) {
        return server -> server.registerInterceptor(
                new CapabilityLimits(fhir.fhir().maxRequestSize().toBytes(), properties.maxTransactionEntries()));
    }

    @Bean
    RestfulServerContributor searchLimits(McsFhirProperties fhir) {
        return server -> server.registerInterceptor(
                new SearchLimits(fhir.fhir().maxSearchParameters(), fhir.fhir().maxSearchValues()));
    }
}
