package org.mcsfhir.it.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.Fixtures.TEST_SYSTEM;
import static org.mcsfhir.testsupport.Fixtures.patient;
import static org.mcsfhir.testsupport.Fixtures.uniqueValue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

class SearchIT {

    @Test
    void searchPagesThroughEveryMatchExactlyOnce() {
        String family = "Paging" + uniqueValue().substring(0, 8);
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            created.add(
                    fhir().body(patient(uniqueValue(), family)).post("/Patient").path("id"));
        }

        List<String> seen = new ArrayList<>();
        JsonPath page = fhir().queryParam("family", family)
                .queryParam("_count", 10)
                .queryParam("_total", "accurate")
                .get("/Patient")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(page.getInt("total")).isEqualTo(25);
        int pages = 1;
        seen.addAll(page.getList("entry.resource.id"));
        String next = nextLink(page);
        while (next != null) {
            page = RestAssured.given()
                    .accept("application/fhir+json")
                    .get(next)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("entry.resource.id"));
            next = nextLink(page);
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(created);
    }

    @Test
    void searchByIdentifierToken_findsOnlyThatPatient() {
        String value = uniqueValue();
        String id = fhir().body(patient(value, "Token")).post("/Patient").path("id");
        fhir().body(patient(uniqueValue(), "Token")).post("/Patient");

        fhir().queryParam("identifier", TEST_SYSTEM + "|" + value)
                .get("/Patient")
                .then()
                .statusCode(200)
                .body("entry.size()", equalTo(1))
                .body("entry[0].resource.id", equalTo(id));
    }

    @Test
    void include_returnsTheReferencedPatientAlongsideTheObservation() {
        String patientId =
                fhir().body(patient(uniqueValue(), "Include")).post("/Patient").path("id");
        String code = uniqueValue();
        fhir().body("""
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"%s","code":"%s"}]},
                 "subject":{"reference":"Patient/%s"},"valueQuantity":{"value":58,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}""".formatted(TEST_SYSTEM, code, patientId))
                .post("/Observation")
                .then()
                .statusCode(201);

        fhir().queryParam("code", TEST_SYSTEM + "|" + code)
                .queryParam("_include", "Observation:subject")
                .get("/Observation")
                .then()
                .statusCode(200)
                .body("entry.find { it.search.mode == 'match' }.resource.resourceType", equalTo("Observation"))
                .body("entry.find { it.search.mode == 'include' }.resource.id", equalTo(patientId));
    }

    @Test
    void unknownSearchParameter_is400WithOperationOutcomeNamingIt() {
        fhir().queryParam("shoe-size", "42")
                .get("/Patient")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", Matchers.containsString("shoe-size"));
    }

    @Test
    void aSearchOfTooManyParameters_isRefusedAtOnceAndTheServerStaysResponsive() {
        // 300 repeated name parameters once took 3.5 minutes of a core (one join each).
        var search = fhir();
        for (int i = 0; i < 300; i++) {
            search.queryParam("name", "n" + i);
        }
        long started = System.nanoTime();
        search.get("/Patient")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("too-costly"))
                .body("issue[0].diagnostics", Matchers.startsWith("MCS-0460"));
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);

        fhir().header("If-None-Exist", "name=" + String.join("&name=", Collections.nCopies(50, "x")))
                .body(patient(uniqueValue(), "Bounded"))
                .post("/Patient")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", Matchers.startsWith("MCS-0460"));
    }

    @Test
    void anOrListLongerThanTheLimit_is400_andOneWithinItAnswers() {
        String ids = String.join(
                ",", IntStream.range(0, 1001).mapToObj(i -> "id" + i).toList());
        fhir().queryParam("_id", ids)
                .get("/Patient")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", Matchers.startsWith("MCS-0461"));
        fhir().queryParam("_id", ids.substring(0, ids.lastIndexOf(',')))
                .get("/Patient")
                .then()
                .statusCode(200);
    }

    private static String nextLink(JsonPath page) {
        List<String> next = page.getList("link.findAll { it.relation == 'next' }.url");
        return next.isEmpty() ? null : next.get(0);
    }
}
