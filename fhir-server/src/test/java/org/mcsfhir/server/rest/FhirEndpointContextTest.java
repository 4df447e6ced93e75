package org.mcsfhir.server.rest;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.specification.RequestSpecification;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;

/**
 * The FHIR endpoint as configured: an R4 CapabilityStatement at {@code /metadata} in JSON and XML, the OpenAPI
 * document, and searches too costly for the database refused with 400 {@code too-costly} before they run.
 */
class FhirEndpointContextTest extends ContextTest {

    @Test
    void metadata_isAnR4CapabilityStatementListingTheStandardInteractions() {
        fhir().get("/metadata")
                .then()
                .statusCode(200)
                .body("resourceType", equalTo("CapabilityStatement"))
                .body("fhirVersion", equalTo("4.0.1"))
                // JSON and XML only: no Turtle, whose library is left out of the jar (BodyFormatCheck answers 406)
                .body("format", containsInAnyOrder("application/fhir+xml", "xml", "application/fhir+json", "json"))
                .body("rest[0].mode", equalTo("server"))
                .body("rest[0].interaction.code", hasItems("transaction", "history-system"))
                .body(
                        "rest[0].resource.find { it.type == 'Patient' }.interaction.code",
                        hasItems("read", "vread", "update", "delete", "create", "search-type", "history-instance"))
                .body("rest[0].resource.find { it.type == 'Patient' }.conditionalCreate", equalTo(true));
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
        fhir().accept("*/*")
                .get("/api-docs")
                .then()
                .statusCode(200)
                .body(startsWith("openapi: 3."))
                .body(containsString("/Patient/{id}:"));
    }

    @Test
    void tooManySearchParameters_is400TooCostly() {
        RequestSpecification search = fhir();
        for (int i = 0; i < 41; i++) {
            search.queryParam("name", "n" + i);
        }
        search.get("/Patient")
                .then()
                .statusCode(400)
                .body("issue[0].code", equalTo("too-costly"))
                .body("issue[0].diagnostics", startsWith("MCS-0460"));
    }

    @Test
    void tooLongAnOrList_is400TooCostly() {
        String values = String.join(",", Collections.nCopies(1001, "x"));
        fhir().queryParam("family", values)
                .get("/Patient")
                .then()
                .statusCode(400)
                .body("issue[0].code", equalTo("too-costly"))
                .body("issue[0].diagnostics", startsWith("MCS-0461"));
    }
}
