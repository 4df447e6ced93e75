package org.mcsfhir.it.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.mcsfhir.it.support.TestServer.fhir;

import org.junit.jupiter.api.Test;

class CapabilityStatementIT {

    @Test
    void metadata_isAnR4CapabilityStatementListingTheStandardInteractions() {
        fhir().get("/metadata")
                .then()
                .statusCode(200)
                .body("resourceType", equalTo("CapabilityStatement"))
                .body("fhirVersion", equalTo("4.0.1"))
                .body("rest[0].mode", equalTo("server"))
                .body("rest[0].interaction.code", hasItems("transaction", "history-system"))
                .body(
                        "rest[0].resource.find { it.type == 'Patient' }.interaction.code",
                        hasItems("read", "vread", "update", "delete", "create", "search-type", "history-instance"))
                .body("rest[0].resource.find { it.type == 'Patient' }.conditionalCreate", equalTo(true));
    }

    @Test
    void metadata_honoursFormatParameter() {
        fhir().accept("*/*")
                .queryParam("_format", "xml")
                .get("/metadata")
                .then()
                .statusCode(200)
                .contentType("application/fhir+xml")
                .body("CapabilityStatement.fhirVersion.@value", equalTo("4.0.1"));
    }

    @Test
    void openApiDocument_describesTheFhirEndpoint() {
        String yaml = fhir().accept("*/*")
                .get("/api-docs")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        org.assertj.core.api.Assertions.assertThat(yaml)
                .startsWith("openapi: 3.")
                .contains("/Patient/{id}:");
    }
}
