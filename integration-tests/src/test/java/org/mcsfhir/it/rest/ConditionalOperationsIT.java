package org.mcsfhir.it.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mcsfhir.it.support.Fixtures.TEST_SYSTEM;
import static org.mcsfhir.it.support.Fixtures.patient;
import static org.mcsfhir.it.support.Fixtures.uniqueValue;
import static org.mcsfhir.it.support.TestServer.fhir;

import org.junit.jupiter.api.Test;

class ConditionalOperationsIT {

    @Test
    void conditionalCreate_isIdempotent() {
        String value = uniqueValue();
        String condition = "identifier=" + TEST_SYSTEM + "|" + value;

        String first = fhir().header("If-None-Exist", condition).body(patient(value, "Once"))
                .post("/Patient").then().statusCode(201).extract().path("id");
        String second = fhir().header("If-None-Exist", condition).body(patient(value, "Once"))
                .header("Prefer", "return=representation")
                .post("/Patient").then().statusCode(200).extract().path("id");

        assertThat(second).isEqualTo(first);
        fhir().queryParam("identifier", TEST_SYSTEM + "|" + value).queryParam("_summary", "count")
                .get("/Patient").then().body("total", equalTo(1));
    }

    @Test
    void conditionalUpdate_createsThenUpdatesTheSameResource() {
        String value = uniqueValue();
        String url = "/Patient?identifier=" + TEST_SYSTEM + "|" + value;

        String id = fhir().body(patient(value, "First")).put(url).then().statusCode(201).extract().path("id");
        fhir().body(patient(value, "Second")).put(url).then().statusCode(200).body("id", equalTo(id))
                .body("meta.versionId", equalTo("2"));
    }
}
