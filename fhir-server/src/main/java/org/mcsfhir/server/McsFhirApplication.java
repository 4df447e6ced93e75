package org.mcsfhir.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The mcs-fhir server: HAPI FHIR JPA (R4) served at {@code /fhir} inside Spring Boot. */
// HAPI's JPA module drags in Elasticsearch clients (for optional full-text search, not used here) and Thymeleaf
// (for narratives); without these exclusions Spring Boot would start an Elasticsearch node sniffer and a view engine.
@SpringBootApplication(
        exclude = {
            ElasticsearchClientAutoConfiguration.class,
            ElasticsearchRestClientAutoConfiguration.class,
            ThymeleafAutoConfiguration.class
        })
@ConfigurationPropertiesScan
public class McsFhirApplication {

    public static void main(String[] args) {
        SpringApplication.run(McsFhirApplication.class, args);
    }
}
