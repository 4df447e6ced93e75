package org.mcsfhir.it.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.Fixtures.TEST_SYSTEM;
import static org.mcsfhir.testsupport.Fixtures.patient;
import static org.mcsfhir.testsupport.Fixtures.uniqueValue;

import io.restassured.response.Response;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.Race;

class ConditionalOperationsIT {

    @Test
    void conditionalCreate_isIdempotent() {
        String value = uniqueValue();
        String condition = "identifier=" + TEST_SYSTEM + "|" + value;

        String first = fhir().header("If-None-Exist", condition)
                .body(patient(value, "Once"))
                .post("/Patient")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String second = fhir().header("If-None-Exist", condition)
                .body(patient(value, "Once"))
                .header("Prefer", "return=representation")
                .post("/Patient")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        assertThat(second).isEqualTo(first);
        fhir().queryParam("identifier", TEST_SYSTEM + "|" + value)
                .queryParam("_summary", "count")
                .get("/Patient")
                .then()
                .body("total", equalTo(1));
    }

    @Test
    void conditionalUpdate_createsThenUpdatesTheSameResource() {
        String value = uniqueValue();
        String url = "/Patient?identifier=" + TEST_SYSTEM + "|" + value;

        String id = fhir().body(patient(value, "First"))
                .put(url)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        fhir().body(patient(value, "Second"))
                .put(url)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("meta.versionId", equalTo("2"));
    }

    @Test
    void concurrentConditionalCreates_createOnceAndAnswerTheOthersWithIt() throws Exception {
        String value = uniqueValue();
        String condition = "identifier=" + TEST_SYSTEM + "|" + value;
        List<Response> answers = race(
                8,
                () -> fhir().header("If-None-Exist", condition)
                        .header("Prefer", "return=representation")
                        .body(patient(value, "Raced"))
                        .post("/Patient"));

        assertThat(answers)
                .extracting(Response::statusCode)
                .containsOnly(200, 201)
                .filteredOn(status -> status == 201)
                .hasSize(1);
        assertThat(answers)
                .extracting(answer -> answer.path("id").toString())
                .containsOnly(answers.get(0).path("id").toString());
        fhir().queryParam("identifier", TEST_SYSTEM + "|" + value)
                .queryParam("_summary", "count")
                .get("/Patient")
                .then()
                .body("total", equalTo(1));
    }

    /** Sends the same request from n threads released together. */
    private static List<Response> race(int n, Callable<Response> request) throws Exception {
        return Race.all(Collections.nCopies(n, request));
    }
}
