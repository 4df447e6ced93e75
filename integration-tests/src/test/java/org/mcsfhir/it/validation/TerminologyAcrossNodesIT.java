package org.mcsfhir.it.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.mcsfhir.it.support.TestServer.fhir;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * One authoritative source of terminology: the guide's content cannot be changed through the API, and a change to
 * other stored terminology made on one node is answered by a second node on the same database within the documented
 * bound (mcs.validation.terminology-refresh 10 s + HAPI's 10 s polling).
 */
class TerminologyAcrossNodesIT {

    private static final String GUIDE_CS = "https://mcs-fhir.org/fhir/CodeSystem/mcs-support-end-cs";
    private static final Duration BOUND = Duration.ofSeconds(20);
    /** Slack on a noisy 2-core machine for the writing node's deferred concept storage and request time. */
    private static final Duration SLACK = Duration.ofSeconds(25);

    @Test
    void theGuidesTerminologyCannotBeChangedDeletedOrShadowedThroughTheApi() {
        Response stored = fhir().queryParam("url", GUIDE_CS)
                .get("/CodeSystem")
                .then()
                .statusCode(200)
                .extract()
                .response();
        String id = stored.path("entry[0].resource.id");
        String resource =
                fhir().get("/CodeSystem/" + id).then().statusCode(200).extract().asString();

        fhir().body(resource.replace("\"Bridge to heart transplant\"", "\"Changed\""))
                .put("/CodeSystem/" + id)
                .then()
                .statusCode(422)
                .body("issue[0].diagnostics", startsWith("MCS-0470"))
                .body("issue[0].expression[0]", equalTo("CodeSystem.url"));
        fhir().delete("/CodeSystem/" + id).then().statusCode(422).body("issue[0].diagnostics", startsWith("MCS-0470"));
        fhir().body(localCodeSystem(GUIDE_CS + "-shadow", "a"))
                .post("/CodeSystem")
                .then()
                .statusCode(422);
        fhir().get("/CodeSystem/" + id)
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo(new JsonPath(resource).getString("meta.versionId")));
    }

    @Test
    void aTerminologyChangeOnOneNodeIsAnsweredByTheOtherWithinTheBound() {
        Assumptions.assumeTrue(TestServer.database().equals("postgres"), "two nodes share a PostgreSQL database");
        TestServer.get();
        try (ServerProcess nodeB = ServerProcess.start("terminology-node-b", TestServer.settingsFor("postgres"))) {
            RequestSpecification onB = new RequestSpecBuilder()
                    .setBaseUri(nodeB.fhirBase())
                    .setContentType("application/fhir+json")
                    .setAccept("application/fhir+json")
                    .build();
            String url = "https://hospital.example/fhir/CodeSystem/it-" + UUID.randomUUID();
            String id = fhir().body(localCodeSystem(url, "a", "b"))
                    .post("/CodeSystem")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            // node B answers (and caches) the code as valid
            assertThat(waitUntil(() -> valid(onB, url, "b"), Duration.ofSeconds(90)))
                    .isNotNull();

            fhir().body(localCodeSystem(url, "a").replaceFirst("\\{", "{\"id\":\"" + id + "\","))
                    .put("/CodeSystem/" + id)
                    .then()
                    .statusCode(200);
            Duration seen =
                    waitUntil(() -> !valid(onB, url, "b"), BOUND.plus(SLACK).plusSeconds(30));
            assertThat(seen)
                    .as("node B still answered the removed code as valid")
                    .isNotNull()
                    .isLessThanOrEqualTo(BOUND.plus(SLACK));
            System.out.println(
                    "[terminology-across-nodes] node B answered the removal after " + seen.toMillis() + " ms");
            assertThat(valid(onB, url, "a")).isTrue();
        }
    }

    private static boolean valid(RequestSpecification node, String url, String code) {
        Response answer = RestAssured.given(node)
                .queryParam("url", url)
                .queryParam("code", code)
                .get("/CodeSystem/$validate-code");
        return answer.statusCode() == 200
                && Boolean.TRUE.equals(answer.path("parameter.find { it.name == 'result' }.valueBoolean"));
    }

    /** How long until the condition held, or null if it did not within the limit. */
    private static Duration waitUntil(BooleanSupplier condition, Duration limit) {
        Instant started = Instant.now();
        while (Duration.between(started, Instant.now()).compareTo(limit) < 0) {
            if (condition.getAsBoolean()) {
                return Duration.between(started, Instant.now());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static String localCodeSystem(String url, String... codes) {
        StringBuilder concepts = new StringBuilder();
        for (String code : codes) {
            concepts.append(concepts.length() == 0 ? "" : ",")
                    .append("{\"code\":\"")
                    .append(code)
                    .append("\",\"display\":\"")
                    .append(code.toUpperCase())
                    .append("\"}");
        }
        return "{\"resourceType\":\"CodeSystem\",\"url\":\"" + url
                + "\",\"status\":\"active\",\"content\":\"complete\"," + "\"concept\":[" + concepts + "]}";
    }
}
