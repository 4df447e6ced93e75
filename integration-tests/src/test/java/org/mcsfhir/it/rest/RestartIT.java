package org.mcsfhir.it.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.mcsfhir.it.support.Fixtures.patient;
import static org.mcsfhir.it.support.Fixtures.uniqueValue;

import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/** The embedded default keeps its data in a file: what was stored before a restart is there after it. */
@Tag("h2-only")
class RestartIT {

    @Test
    void dataSurvivesARestartOfTheEmbeddedDefault() {
        Map<String, String> settings = Map.of("mcs.data-dir", TestServer.newDataDir().toString());
        try (ServerProcess server = ServerProcess.start("restart-h2", settings)) {
            String id = RestAssured.given().baseUri(server.fhirBase()).contentType("application/fhir+json")
                    .body(patient(uniqueValue(), "Durable")).post("/Patient").then().statusCode(201).extract().path("id");

            server.stop();
            server.restart();

            RestAssured.given().baseUri(server.fhirBase()).accept("application/fhir+json").get("/Patient/" + id)
                    .then().statusCode(200).body("name[0].family", equalTo("Durable"));
        }
    }
}
