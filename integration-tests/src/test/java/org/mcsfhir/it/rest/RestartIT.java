package org.mcsfhir.it.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.mcsfhir.testsupport.Fixtures.patient;
import static org.mcsfhir.testsupport.Fixtures.uniqueValue;

import io.restassured.RestAssured;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * The embedded default keeps its data in a file: what was stored before a restart is there after it. A restart finds
 * the guide package it installed before and does not install it again; the guide's content still answers.
 */
@Tag("h2-only")
class RestartIT {

    @Test
    void dataSurvivesARestartOfTheEmbeddedDefault_andTheUnchangedGuideIsNotReinstalled() throws Exception {
        Map<String, String> settings =
                Map.of("mcs.data-dir", TestServer.newDataDir().toString());
        try (ServerProcess server = ServerProcess.start("restart-h2", settings)) {
            String id = RestAssured.given()
                    .baseUri(server.fhirBase())
                    .contentType("application/fhir+json")
                    .body(patient(uniqueValue(), "Durable"))
                    .post("/Patient")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");

            server.stop();
            server.restart();

            RestAssured.given()
                    .baseUri(server.fhirBase())
                    .accept("application/fhir+json")
                    .get("/Patient/" + id)
                    .then()
                    .statusCode(200)
                    .body("name[0].family", equalTo("Durable"));
            // the log may hold earlier runs: the last two starts are this test's
            String[] starts = Files.readString(server.log()).split("Starting McsFhirApplication");
            assertThat(starts[starts.length - 2]).contains("Installed guide package mcs-fhir.ig#");
            assertThat(starts[starts.length - 1])
                    .contains("unchanged since it was installed")
                    .doesNotContain("Installed guide package");
            RestAssured.given()
                    .baseUri(server.fhirBase())
                    .accept("application/fhir+json")
                    .get("/StructureDefinition?url=https://mcs-fhir.org/fhir/StructureDefinition/mcs-patient")
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(1));
            RestAssured.given()
                    .baseUri(server.fhirBase())
                    .accept("application/fhir+json")
                    .get("/ValueSet/$expand?url=https://mcs-fhir.org/fhir/ValueSet/mcs-access-site-vs")
                    .then()
                    .statusCode(200)
                    .body("expansion.contains.size()", greaterThan(0));
        }
    }
}
