package org.mcsfhir.server.rest;

import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.mcsfhir.server.config.McsFhirProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The FHIR REST endpoint at {@code /fhir}: HAPI's {@link RestfulServer} over the JPA DAOs, with the standard
 * interactions (CRUD, search, history, transaction/batch, conditional operations, ETags, {@code _format}, paging),
 * the CapabilityStatement, ValueSet operations, Bulk Data export and OpenAPI. Features add their own providers and
 * interceptors through {@link RestfulServerContributor} beans.
 */
@Configuration
public class FhirEndpointConfig {

    @Bean
    public RestfulServer restfulServer(
            IFhirSystemDao<?, ?> systemDao,
            ResourceProviderFactory resourceProviders,
            IJpaSystemProvider systemProvider,
            ValueSetOperationProvider valueSetOperations,
            BulkDataExportProvider bulkDataExport,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            McsFhirProperties properties,
            List<RestfulServerContributor> contributors) {
        // Clinical data must not be dropped silently: an unknown or misplaced element is a client error (400).
        systemDao.getContext().setParserErrorHandler(new StrictErrorHandler());
        RestfulServer server = new RestfulServer(systemDao.getContext());
        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        server.registerProvider(valueSetOperations);
        server.registerProvider(bulkDataExport);

        JpaCapabilityStatementProvider capabilityStatement = new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        capabilityStatement.setImplementationDescription("mcs-fhir: mechanical circulatory support registry exchange");
        server.setServerConformanceProvider(capabilityStatement);
        server.setServerName("mcs-fhir");

        server.setPagingProvider(pagingProvider);
        server.setDefaultPrettyPrint(false);
        String address = properties.fhir().serverAddress();
        server.setServerAddressStrategy(
                address.isBlank() ? new IncomingRequestAddressStrategy() : new HardcodedServerAddressStrategy(address));
        if (properties.fhir().openApiEnabled()) {
            server.registerInterceptor(new OpenApiInterceptor());
        }
        contributors.forEach(contributor -> contributor.contributeTo(server));
        return server;
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer restfulServer) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(restfulServer, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
