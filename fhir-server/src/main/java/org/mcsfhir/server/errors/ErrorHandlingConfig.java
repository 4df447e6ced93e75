package org.mcsfhir.server.errors;

import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.mcsfhir.server.config.McsFhirProperties;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * One error path: request limits, and error bodies that are always OperationOutcomes whichever layer failed: HAPI
 * ({@link ErrorOutcomeInterceptor}, with {@link RequestParameterCheck} and {@link BodyFormatCheck} refusing up front
 * what would otherwise fail deep inside).
 */
@Configuration
class ErrorHandlingConfig {

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(McsFhirProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.fhir().maxRequestSize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * Tomcat answers {@code Expect: 100-continue} immediately by default, inviting the client to send a body we may
     * refuse. Sending it only when the application starts reading lets a 413 go out before the body is transmitted.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> continueOnlyWhenBodyIsRead() {
        return factory -> factory.addConnectorCustomizers(
                connector -> connector.setProperty("continueResponseTiming", "onRead"));
    }

    @Bean
    RestfulServerContributor errorOutcomes(ISearchParamRegistry searchParams) {
        return server -> {
            server.registerInterceptor(new RequestParameterCheck(searchParams));
            server.registerInterceptor(new BodyFormatCheck());
            server.registerInterceptor(new ErrorOutcomeInterceptor());
        };
    }
}
