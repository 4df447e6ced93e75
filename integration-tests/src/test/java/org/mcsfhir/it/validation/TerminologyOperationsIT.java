package org.mcsfhir.it.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.mcsfhir.it.support.TestServer.fhir;

import io.restassured.RestAssured;
import java.time.Duration;
import java.time.Instant;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.TestServer;
import org.mcsfhir.testsupport.GuideSources;

/** The standard terminology operations answer correctly on the guide's own content. */
class TerminologyOperationsIT {

    private static final String CS = "https://mcs-fhir.org/fhir/CodeSystem/";
    private static final String VS = "https://mcs-fhir.org/fhir/ValueSet/";

    @BeforeAll
    static void guideTerminologyIsIndexed() {
        // HAPI stores code system concepts in the background after the guide is installed at start-up
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (fhir().queryParam("system", CS + "mcs-support-end-cs")
                                .queryParam("code", "bridge-to-transplant")
                                .get("/CodeSystem/$lookup")
                                .statusCode()
                        != 200
                && Instant.now().isBefore(deadline)) {
            sleep();
        }
    }

    @Test
    void lookup_returnsTheDisplayOfALocalCode() {
        fhir().queryParam("system", CS + "mcs-support-end-cs")
                .queryParam("code", "bridge-to-transplant")
                .get("/CodeSystem/$lookup")
                .then()
                .statusCode(200)
                .body("parameter.find { it.name == 'display' }.valueString", equalTo("Bridge to heart transplant"));
    }

    @Test
    void lookup_ofAnUnknownCode_isAClientErrorWithOperationOutcome() {
        fhir().queryParam("system", CS + "mcs-support-end-cs")
                .queryParam("code", "teleportation")
                .get("/CodeSystem/$lookup")
                .then()
                .statusCode(Matchers.both(Matchers.greaterThanOrEqualTo(400)).and(Matchers.lessThan(500)))
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void validateCode_acceptsMembersAndRejectsOthers() {
        fhir().queryParam("url", VS + "mcs-support-end-reason-vs")
                .queryParam("system", CS + "mcs-support-end-cs")
                .queryParam("code", "bridge-to-durable-lvad")
                .get("/ValueSet/$validate-code")
                .then()
                .statusCode(200)
                .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(true));
        fhir().queryParam("url", VS + "mcs-support-end-reason-vs")
                .queryParam("system", CS + "mcs-support-end-cs")
                .queryParam("code", "teleportation")
                .get("/ValueSet/$validate-code")
                .then()
                .statusCode(200)
                .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(false));
    }

    @Test
    void expand_filtersAndPages() {
        fhir().queryParam("url", VS + "mcs-access-site-vs")
                .queryParam("filter", "femoral")
                .get("/ValueSet/$expand")
                .then()
                .statusCode(200)
                .body("expansion.contains.code", hasItem("7657000"))
                .body("expansion.contains.code", not(hasItem("67937003")));
        fhir().queryParam("url", VS + "mcs-support-end-reason-vs")
                .queryParam("count", 3)
                .queryParam("offset", 0)
                .get("/ValueSet/$expand")
                .then()
                .statusCode(200)
                .body("expansion.contains.size()", equalTo(3))
                .body("expansion.total", equalTo(8));
    }

    @Test
    void expand_ofAnUnknownValueSet_is4xxWithOperationOutcome() {
        fhir().queryParam("url", "https://example.org/no-such-vs")
                .get("/ValueSet/$expand")
                .then()
                .statusCode(Matchers.both(Matchers.greaterThanOrEqualTo(400)).and(Matchers.lessThan(500)))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("no-such-vs"));
    }

    @Test
    void translate_mapsAComplicationToIcd10() {
        fhir().queryParam("url", "https://mcs-fhir.org/fhir/ConceptMap/mcs-complication-to-icd10")
                .queryParam("system", "http://snomed.info/sct")
                .queryParam("code", "131148009")
                .get("/ConceptMap/$translate")
                .then()
                .statusCode(200)
                .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(true))
                .body(
                        "parameter.findAll { it.name == 'match' }.part.flatten().find { it.name == 'concept' }.valueCoding.system",
                        equalTo("http://hl7.org/fhir/sid/icd-10"));
    }

    @Test
    void customSearchParameterOfTheGuide_isSearchable() {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
        fhir().queryParam("decision-maker", "personal-consultee")
                .get("/Consent")
                .then()
                .statusCode(200)
                .body("entry.resource.id", hasItem("mcs-example-consent-1a"));
    }

    @Test
    void validatedWritesAreServedFromTheTerminologyCache() {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
        double hitsBefore = cacheHits();
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
        assertThat(cacheHits()).isGreaterThan(hitsBefore);
    }

    private static double cacheHits() {
        return RestAssured.given()
                .baseUri(TestServer.get().root())
                .queryParam("tag", "cache:terminology.validate-code")
                .queryParam("tag", "result:hit")
                .get("/actuator/metrics/cache.gets")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getDouble("measurements[0].value");
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
