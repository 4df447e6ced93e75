package org.mcsfhir.server.errors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.mcsfhir.server.config.FilterOrder;
import org.mcsfhir.server.config.McsFhirProperties;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * One error path: request limits, and error bodies that are always OperationOutcomes whichever layer failed: HAPI
 * ({@link ErrorOutcomeInterceptor}, with {@link RequestParameterCheck} and {@link BodyFormatCheck} refusing up front
 * what would otherwise fail deep inside), Spring MVC and filters ({@link OperationOutcomeErrorController}), Spring
 * Security's firewall (below) and Tomcat's connector ({@link OperationOutcomeErrorValve}).
 */
@Configuration
class ErrorHandlingConfig {

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(McsFhirProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.fhir().maxRequestSize().toBytes()));
        registration.setOrder(FilterOrder.REQUEST_SIZE);
        return registration;
    }

    /**
     * Tomcat answers {@code Expect: 100-continue} immediately by default, inviting the client to send a body we may
     * refuse. Sending it only when the application starts reading lets a 413 go out before the body is transmitted.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> continueOnlyWhenBodyIsRead() {
        return factory ->
                factory.addConnectorCustomizers(connector -> connector.setProperty("continueResponseTiming", "onRead"));
    }

    @Bean
    RestfulServerContributor errorOutcomes(ISearchParamRegistry searchParams) {
        return server -> {
            server.registerInterceptor(new RequestParameterCheck(searchParams));
            server.registerInterceptor(new BodyFormatCheck());
            server.registerInterceptor(new ErrorOutcomeInterceptor());
        };
    }

    @Bean
    NarrativeCheck narrativeCheck(FhirContext fhirContext, IInterceptorService storageInterceptors) {
        NarrativeCheck check = new NarrativeCheck(fhirContext);
        storageInterceptors.registerInterceptor(check);
        return check;
    }

    /** The firewall's refusals (';' or '//' in a path, encoded '/' or '%', control characters) are client errors. */
    @Bean
    RequestRejectedHandler requestRejectedAsOperationOutcome() {
        return (request, response, rejected) ->
                OperationOutcomes.write(request, response, 400, "invalid", RequestLineFilter.REFUSED);
    }

    @Bean
    FilterRegistrationBean<RequestLineFilter> requestLineFilter() {
        FilterRegistrationBean<RequestLineFilter> registration = new FilterRegistrationBean<>(new RequestLineFilter());
        registration.setOrder(FilterOrder.REQUEST_LINE);
        return registration;
    }

    /**
     * Tomcat's error reports (connector-level errors) as OperationOutcomes. Spring Boot adds its own ErrorReportValve
     * to the host, and the host adds a default one when none of its configured class is present; both are replaced
     * when the context starts, after every customizer and the host itself have added theirs.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> operationOutcomeErrorValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(OperationOutcomeErrorValve.class.getName());
            }
            context.addLifecycleListener(event -> {
                if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                    replaceErrorReportValves(context.getParent());
                }
            });
        });
    }

    static void replaceErrorReportValves(Container host) {
        boolean present = false;
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof OperationOutcomeErrorValve) {
                present = true;
            } else if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        if (!present) {
            host.getPipeline().addValve(new OperationOutcomeErrorValve());
        }
    }
}
